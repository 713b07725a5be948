package web

import (
	"io"
	"net/http"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// assetRoutes registers the asset inventory (5.9) with its classification (5.12).
func (h *Handler) assetRoutes() {
	h.mux.HandleFunc("GET /assets", h.assets)
	h.mux.HandleFunc("POST /assets", h.addAsset)
	h.mux.HandleFunc("GET /assets/import", h.assetImportForm)
	h.mux.HandleFunc("POST /assets/import", h.importAssets)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /assets/export."+f, h.exportAssets)
	}
	h.mux.HandleFunc("GET /assets/{ref}", h.asset)
	h.mux.HandleFunc("POST /assets/{ref}", h.updateAsset)
	h.mux.HandleFunc("POST /assets/{ref}/delete", h.deleteAsset)
}

// assetQuery reads the inventory's filter and order from the query string ("q" is the search text), checked
// against the register's declaration.
func assetQuery(q url.Values) (service.AssetFilter, error) {
	return service.AssetRegister.Parse("q", q.Get)
}

// CIAOption is one value of a confidentiality, integrity or availability select.
type CIAOption struct {
	Value, Label string
}

var ciaOptions = []CIAOption{{"1", "1 — low"}, {"2", "2"}, {"3", "3 — medium"}, {"4", "4"}, {"5", "5 — very high"}}

// ciaFields are the form fields of the asset's value.
var ciaFields = []string{"confidentiality", "integrity", "availability"}

// assets.html shows the inventory (AssetsPage) or one asset (AssetPage); Detail tells them apart.

// Detail is false: this is the inventory.
func (AssetsPage) Detail() bool { return false }

// Detail is true: this is one asset.
func (AssetPage) Detail() bool { return true }

// AssetsPage is the data of the inventory page.
type AssetsPage struct {
	Tabs            []RiskTab
	Query           service.AssetFilter
	Filtered        bool // a filter is set (the order is not one)
	List            service.List[isms.Asset]
	Pager           Pager
	Sort            map[string]SortCol
	People          Picker
	Types           []string
	Classifications []string
	CIA             []CIAOption
	CIAFields       []string
	Exports         []ExportLink
	Posted          bool // the add form failed: show its input and errors
}

var assetSortCols = [][2]string{{"ref", "Ref"}, {"name", "Name"}, {"type", "Type"}, {"owner", "Owner"}, {"updated", "Updated"}}

func (h *Handler) assetsView(r *http.Request) (View, error) {
	ctx := r.Context()
	q, ferr := assetQuery(r.URL.Query())
	people, err := h.ownerPicker(ctx, q.Owner, "")
	if err != nil {
		return View{}, err
	}
	d := AssetsPage{Tabs: riskTabs("/assets"), Query: q, People: people, Types: isms.AssetTypes, Classifications: isms.Classifications,
		CIA: ciaOptions, CIAFields: ciaFields, Sort: sortCols(r, q.Sort, assetSortCols), Exports: exportLinks("/assets/export", service.AssetRegister.Values("q", q)),
		Filtered: service.AssetRegister.Filtered(q)}
	v := View{Title: "Asset inventory", Nav: "assets", Data: d}
	if ferr != nil {
		return v, ferr
	}
	if d.List, err = h.svc.ListAssets(ctx, q, page(r)); err != nil {
		return View{}, err
	}
	d.Pager = pager(r, d.List.Total, d.List.Limit, d.List.Offset)
	v.Data = d
	return v, nil
}

func (h *Handler) assets(w http.ResponseWriter, r *http.Request) {
	v, err := h.assetsView(r)
	if err != nil {
		if v.Data != nil && inputError(err) { // a bad filter: show the form with its errors
			h.formError(w, r, "assets", v, err)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "assets", v)
}

// assetInput reads the asset form: every field of the input under its JSON name.
func assetInput(f url.Values) service.AssetInput { return formInput[service.AssetInput](f) }

// assetForm fills the edit form from a saved asset.
func assetForm(a isms.Asset) url.Values { return formValues(&a) }

func (h *Handler) addAsset(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var a isms.Asset
	if err == nil {
		a, err = h.svc.AddAsset(r.Context(), assetInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		v, lerr := h.assetsView(r)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		d := v.Data.(AssetsPage)
		d.Posted = true
		v.Data = d
		h.formError(w, r, "assets", v, err)
		return
	}
	h.redirect(w, r, "/assets/"+url.PathEscape(a.Ref), a.Ref+" "+a.Name+" is added to the inventory.")
}

// AssetPage is the data of one asset's page.
type AssetPage struct {
	Tabs            []RiskTab
	Asset           isms.Asset // as saved now
	Version         int        // see PersonPage.Version
	Conflict        bool
	People          Picker
	Types           []string
	Classifications []string
	CIA             []CIAOption
	CIAFields       []string
	Risks           []RiskRow
	RiskTotal       int
	RisksURL        string // the register filtered by this asset
	NewRiskURL      string
}

func (h *Handler) assetPage(r *http.Request, ref string) (AssetPage, error) {
	ctx := r.Context()
	d := AssetPage{Tabs: riskTabs("/assets"), Types: isms.AssetTypes, Classifications: isms.Classifications, CIA: ciaOptions, CIAFields: ciaFields}
	var err error
	if d.Asset, err = h.svc.Asset(ctx, ref); err != nil {
		return d, err
	}
	d.Version = d.Asset.Version
	if d.People, err = h.ownerPicker(ctx, d.Asset.Owner, d.Asset.OwnerName); err != nil {
		return d, err
	}
	m, err := h.svc.RiskMethod(ctx)
	if err != nil {
		return d, err
	}
	risks, err := h.svc.ListRisks(ctx, service.RiskFilter{Asset: d.Asset.Ref, Sort: "-score"}, service.Page{Limit: 100})
	if err != nil {
		return d, err
	}
	d.Risks, d.RiskTotal = riskRows(m, risks.Items), risks.Total
	d.RisksURL = "/risks?" + url.Values{"asset": {d.Asset.Ref}}.Encode()
	d.NewRiskURL = "/risks/new?" + url.Values{"asset": {d.Asset.Ref}}.Encode()
	return d, nil
}

func (h *Handler) asset(w http.ResponseWriter, r *http.Request) {
	d, err := h.assetPage(r, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "assets", View{Title: d.Asset.Ref + " " + d.Asset.Name, Nav: "assets", Data: d, Form: assetForm(d.Asset)})
}

func (h *Handler) updateAsset(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var a isms.Asset
	if err == nil {
		a, err = h.svc.UpdateAsset(r.Context(), ref, assetInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		d, lerr := h.assetPage(r, ref)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		d.Version = formInt(r.PostForm.Get("version"))
		if isms.ErrorKind(err) == isms.KindConflict {
			d.Conflict, d.Version = true, d.Asset.Version
		}
		h.formError(w, r, "assets", View{Title: d.Asset.Ref + " " + d.Asset.Name, Nav: "assets", Data: d}, err)
		return
	}
	h.redirect(w, r, "/assets/"+url.PathEscape(a.Ref), a.Ref+" "+a.Name+" is saved.")
}

func (h *Handler) deleteAsset(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := h.svc.DeleteAsset(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/assets", ref+" is deleted from the inventory and from the risks that named it.")
}

func (h *Handler) assetImportForm(w http.ResponseWriter, r *http.Request) {
	h.importForm(w, r, "assets")
}

func (h *Handler) importAssets(w http.ResponseWriter, r *http.Request) {
	h.importFile(w, r, "assets", h.svc.ImportAssets, h.svc.PreviewAssetImport)
}

func (h *Handler) exportAssets(w http.ResponseWriter, r *http.Request) {
	f, err := assetQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	h.download(w, r, "asset-inventory", format, func(w io.Writer) error { return h.svc.ExportAssets(r.Context(), f, format, w) })
}
