package brief

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/paysim/paysim/sim/report"
)

//go:embed assets/report.html.tmpl
var pageTemplate string

//go:embed assets/report.js
var pageScript string

var page = template.Must(template.New("report").Parse(pageTemplate))

// A section is one source's part of the report: a run or a comparison.
type section struct {
	ID     string
	Title  string
	Meta   string
	Charts []chart
}

// pageData is what the template renders.
type pageData struct {
	Lang       string
	Title      string
	Subtitle   string
	Sections   []section
	Footer     string
	ECharts    template.JS
	Script     template.JS
	Data       template.JS // the charts, as JSON
	ChartCount int
}

// Build turns sources into the report's sections, in order: a folder's
// comparison before its run, then its repricing, its sweep last.
func build(l Lang, sources []*Source) []section {
	var ids chartID
	var out []section
	for i, src := range sources {
		if c := src.Compare; c != nil {
			out = append(out, section{ID: fmt.Sprintf("section-%d-compare", i+1),
				Title:  comparisonName(l, c),
				Meta:   l.t("meta.compare", c.Seed, c.Replicates, c.Scenarios[0]),
				Charts: compareCharts(l, &ids, c)})
		}
		if s := src.Run; s != nil {
			meta := l.t("meta.run", report.Group(int64(s.Persons)), s.StartYear, s.StartYear+s.Years-1, s.Seed)
			if s.Replicates > 1 {
				meta += l.t("meta.replicates", s.Replicates)
			}
			if s.Incentives != nil {
				meta += l.t("meta.responses_on")
			}
			out = append(out, section{ID: fmt.Sprintf("section-%d-run", i+1), Title: s.Scenario, Meta: meta, Charts: runCharts(l, &ids, s)})
		}
		if r := src.Repricing; r != nil {
			out = append(out, section{ID: fmt.Sprintf("section-%d-repricing", i+1), Title: l.t("title.repricing", r.Scenario),
				Meta: repricingMeta(l, r), Charts: repricingCharts(l, &ids, r)})
		}
		if sw := src.Sweep; sw != nil {
			out = append(out, section{ID: fmt.Sprintf("section-%d-sweep", i+1), Title: l.t("title.sweep", sw.Scenario),
				Meta: sweepMeta(l, sw), Charts: []chart{tornado(l, &ids, sw)}})
		}
	}
	return out
}

// WriteHTML writes the report of sources in l: one self-contained HTML
// file, with ECharts and the charts' data embedded, that opens offline.
func WriteHTML(w io.Writer, l Lang, sources []*Source) error {
	secs := build(l, sources)
	var charts []chart
	for _, s := range secs {
		charts = append(charts, s.Charts...)
	}
	data, err := json.Marshal(struct {
		Lang   Lang    `json:"lang"`
		Charts []chart `json:"charts"`
	}{l, charts})
	if err != nil {
		return err
	}
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	htmlLang := "en"
	if l == Zh {
		htmlLang = "zh-CN"
	}
	return page.Execute(w, pageData{
		Lang:       htmlLang,
		Title:      l.t("report.title"),
		Subtitle:   strings.Join(titles, " · "),
		Sections:   secs,
		Footer:     l.t("report.footer", strings.TrimSpace(echartsVersion)),
		ECharts:    template.JS(echartsJS),
		Script:     template.JS(pageScript),
		Data:       template.JS(data), // json.Marshal escapes <, > and &: nothing in it can end the script
		ChartCount: len(charts),
	})
}
