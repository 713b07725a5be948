package httpserver_test

import (
	"fmt"
	"strings"
)

// rowImportRoutes are the role matrix rows of the imports of the clause 4, 5 and 6.2 registers: each adds one
// row (or, as a dry run, only checks it), so only those who may edit content may.
func rowImportRoutes() []route {
	files := map[string]string{"/issues": "title,kind\nImported issue,external\n", "/parties": "name,kind\nImported party,customer\n",
		"/roles": "name\nImported role\n", "/commitments": "title,date\nImported commitment,2026-03-01\n", "/objectives": "title\nImported objective\n"}
	var rows []route
	for _, path := range []string{"/issues", "/parties", "/roles", "/commitments", "/objectives"} {
		file := raw{"text/csv", files[path]}
		rows = append(rows, route{web: true, method: "GET", pattern: path + "/import", allowed: everyone},
			route{web: true, method: "POST", pattern: path + "/import", allowed: contentEdit,
				prep: withBody(path+"/import", func(m *matrix) any {
					return upload{field: "file", filename: "rows.csv", data: strings.Replace(file.data, "Imported", fmt.Sprint("Imported ", m.next()), 1)}
				})})
		for _, variant := range []string{"", "dry run"} {
			url := path + "/import"
			if variant != "" {
				url += "?dry_run=true"
			}
			rows = append(rows, route{method: "POST", pattern: path + "/import", variant: variant, allowed: contentEdit,
				prep: withBody(url, func(m *matrix) any {
					return raw{file.ctype, strings.Replace(file.data, "Imported", fmt.Sprint("Imported ", m.next()), 1)}
				})})
		}
	}
	return rows
}
