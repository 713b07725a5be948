// Package auditorpack writes the pack an organisation hands its certification auditor: one zip, written as a
// stream one file at a time, that opens with a README.txt and closes with a manifest of every file and its
// SHA-256 (manifest.json, then MANIFEST.txt as `sha256sum -c` reads it). What each file holds is the caller's
// business; this package names, hashes, counts and lists.
package auditorpack

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// Info says whose pack it is and who made it when.
type Info struct {
	Organisation string
	By           string // the name or email of who built it
	At           time.Time
}

// File is one file of the pack as the manifest lists it.
type File struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	What   string `json:"what"`
}

// Part is one item of the README's table of contents: a file, or a folder of files.
type Part struct {
	Path string
	What string
}

// Gap is a part the pack does not hold, and why, so that an auditor sees it.
type Gap struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// Manifest is manifest.json.
type Manifest struct {
	Organisation string    `json:"organisation"`
	GeneratedAt  time.Time `json:"generated_at"`
	GeneratedBy  string    `json:"generated_by"`
	Files        []File    `json:"files"`
	Missing      []Gap     `json:"missing"`
}

// The fixed files of every pack.
const (
	ReadmePath       = "README.txt"
	ManifestJSONPath = "manifest.json"
	ManifestPath     = "MANIFEST.txt"
)

// Pack writes a pack to an io.Writer. Add files in order, then Finish; the first error stops it.
type Pack struct {
	info  Info
	zw    *zip.Writer
	files []File
	gaps  []Gap
	seen  map[string]bool
}

// New starts a pack on w.
func New(w io.Writer, info Info) *Pack {
	return &Pack{info: info, zw: zip.NewWriter(w), seen: map[string]bool{}}
}

// Readme writes README.txt (call it first): what the pack is, whose, when and by whom, how to check it, what it
// holds and what it lacks.
func (p *Pack) Readme(parts []Part, gaps []Gap) error {
	p.gaps = gaps
	return p.Add(ReadmePath, "what this pack is and how to check it", func(w io.Writer) error {
		_, err := io.WriteString(w, readme(p.info, parts, gaps))
		return err
	})
}

func readme(info Info, parts []Part, gaps []Gap) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\r\n", args...) }
	line("AUDITOR PACK: %s", info.Organisation)
	line("")
	line("This pack holds the documented information of the information security management system (ISMS) of")
	line("%s, as recorded in praxis, for its certification auditor.", info.Organisation)
	line("")
	line("Generated: %s", info.At.UTC().Format("2 January 2006, 15:04:05 UTC"))
	line("By:        %s", info.By)
	line("")
	line("HOW TO CHECK IT")
	line("")
	line("MANIFEST.txt lists every other file of the pack with its SHA-256. In the folder the pack was unzipped")
	line("into, run")
	line("")
	line("    sha256sum -c MANIFEST.txt")
	line("")
	line("Every line must say OK. manifest.json lists the same files with their sizes and what each holds. The")
	line("building of this pack is recorded in the organisation's audit trail with the SHA-256 of MANIFEST.txt.")
	line("")
	line("CONTENTS")
	line("")
	for _, pt := range parts {
		line("%s", pt.Path)
		line("    %s", pt.What)
	}
	line("")
	line("NOT IN THIS PACK")
	line("")
	if len(gaps) == 0 {
		line("Nothing: every part of the pack is present.")
	}
	for _, g := range gaps {
		line("- %s: %s", g.What, g.Why)
	}
	return b.String()
}

// stored are the extensions of files that are compressed already: zipping them again costs time for nothing.
var stored = map[string]bool{".pdf": true, ".xlsx": true, ".docx": true, ".pptx": true, ".zip": true, ".gz": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".mp4": true}

// Add writes one file: write fills it, and the pack counts and hashes what it writes. A path is used once.
func (p *Pack) Add(name, what string, write func(io.Writer) error) error {
	if p.seen[name] {
		return fmt.Errorf("auditor pack: %s added twice", name)
	}
	p.seen[name] = true
	method := zip.Deflate
	if stored[strings.ToLower(path.Ext(name))] {
		method = zip.Store
	}
	zf, err := p.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: p.info.At})
	if err != nil {
		return err
	}
	h := sha256.New()
	c := &counter{}
	if err := write(io.MultiWriter(zf, h, c)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p.files = append(p.files, File{Path: name, Bytes: c.n, SHA256: hex.EncodeToString(h.Sum(nil)), What: what})
	return nil
}

// Files are the files written so far, in order.
func (p *Pack) Files() []File { return p.files }

// Finish writes manifest.json and then MANIFEST.txt, which lists every file before it, and closes the zip. It
// returns the SHA-256 of MANIFEST.txt, which vouches for the whole pack.
func (p *Pack) Finish() (string, error) {
	m := Manifest{Organisation: p.info.Organisation, GeneratedAt: p.info.At.UTC(), GeneratedBy: p.info.By, Files: p.files, Missing: p.gaps}
	if m.Missing == nil {
		m.Missing = []Gap{}
	}
	err := p.Add(ManifestJSONPath, "the list of the files of this pack with their sizes and SHA-256", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range p.files {
		fmt.Fprintf(&b, "%s  %s\n", f.SHA256, f.Path)
	}
	sum := sha256.Sum256([]byte(b.String()))
	err = p.Add(ManifestPath, "", func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum[:]), p.zw.Close()
}

// FileName makes a name safe and readable as part of a file's path: lower case letters, digits, dots and
// dashes; other characters become a dash; at most 80 characters.
func FileName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-.")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-.")
	}
	return out
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// Check reads a pack and checks it as its reader would: README.txt comes first and MANIFEST.txt last; MANIFEST.txt
// lists every other file once with its SHA-256; manifest.json lists every file but itself and MANIFEST.txt with
// the same hashes and their sizes; and neither names a file the zip does not hold. It returns manifest.json.
func Check(zr *zip.Reader) (Manifest, error) {
	var m Manifest
	n := len(zr.File)
	if n < 3 || zr.File[0].Name != ReadmePath || zr.File[n-1].Name != ManifestPath || zr.File[n-2].Name != ManifestJSONPath {
		return m, fmt.Errorf("a pack starts with %s and ends with %s and %s", ReadmePath, ManifestJSONPath, ManifestPath)
	}
	actual := map[string]File{}
	contents := map[string][]byte{}
	for _, zf := range zr.File {
		if _, dup := actual[zf.Name]; dup {
			return m, fmt.Errorf("%s is in the zip twice", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			return m, err
		}
		h := sha256.New()
		c := &counter{}
		var keep strings.Builder
		var w io.Writer = io.MultiWriter(h, c)
		if zf.Name == ManifestPath || zf.Name == ManifestJSONPath {
			w = io.MultiWriter(w, &keep)
		}
		_, err = io.Copy(w, rc)
		rc.Close()
		if err != nil {
			return m, fmt.Errorf("%s: %w", zf.Name, err)
		}
		actual[zf.Name] = File{Path: zf.Name, Bytes: c.n, SHA256: hex.EncodeToString(h.Sum(nil))}
		contents[zf.Name] = []byte(keep.String())
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(contents[ManifestPath]), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		f, found := actual[name]
		switch {
		case !ok:
			return m, fmt.Errorf("%s: line %q is not \"SHA-256  path\"", ManifestPath, line)
		case !found:
			return m, fmt.Errorf("%s lists %s, which the pack does not hold", ManifestPath, name)
		case listed[name]:
			return m, fmt.Errorf("%s lists %s twice", ManifestPath, name)
		case f.SHA256 != sum:
			return m, fmt.Errorf("%s: the SHA-256 of %s is %s, not %s", ManifestPath, name, f.SHA256, sum)
		}
		listed[name] = true
	}
	if len(listed) != n-1 {
		return m, fmt.Errorf("%s lists %d files; the pack holds %d besides it", ManifestPath, len(listed), n-1)
	}
	if err := json.Unmarshal(contents[ManifestJSONPath], &m); err != nil {
		return m, fmt.Errorf("%s: %w", ManifestJSONPath, err)
	}
	if len(m.Files) != n-2 {
		return m, fmt.Errorf("%s lists %d files; the pack holds %d besides it and %s", ManifestJSONPath, len(m.Files), n-2, ManifestPath)
	}
	for i, f := range m.Files {
		a := actual[f.Path]
		if zr.File[i].Name != f.Path || a.SHA256 != f.SHA256 || a.Bytes != f.Bytes {
			return m, fmt.Errorf("%s: file %d is %s, %d bytes, SHA-256 %s; the zip's is %s, %d bytes, SHA-256 %s",
				ManifestJSONPath, i+1, f.Path, f.Bytes, f.SHA256, zr.File[i].Name, a.Bytes, a.SHA256)
		}
	}
	return m, nil
}
