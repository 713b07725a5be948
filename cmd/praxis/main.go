// Command praxis is an ISMS for ISO/IEC 27001:2022: web UI, REST API and CLI in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/praxis-isms/praxis/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
