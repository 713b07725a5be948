package cli

import "github.com/spf13/cobra"

// assetCmd is `praxis asset ...` (to be written).
func (e *env) assetCmd() *cobra.Command { return &cobra.Command{Use: "asset", Short: "The asset inventory"} }

// riskCmd is `praxis risk ...` (to be written).
func (e *env) riskCmd() *cobra.Command { return &cobra.Command{Use: "risk", Short: "The risk register"} }
