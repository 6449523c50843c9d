package brief

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paysim/paysim/sim/scenario"
)

// Lang is the language of a report and a workbook.
type Lang string

// The languages of the message catalogue.
const (
	En Lang = "en"
	Zh Lang = "zh"
)

// Langs are the languages the catalogue has, each a file messages/<lang>.json
// (the report's and the workbook's labels) and a file
// messages/terminal.<lang>.json (the terminal table's, keyed "table." and
// the English label, and the command line's errors, keyed "error." and the
// English format) and a file messages/scenario.<lang>.json (the scenario
// loader's and validator's errors, keyed "error." and the English format).
var Langs = []Lang{En, Zh}

//go:embed messages/*.json
var messageFiles embed.FS

// catalogue holds every label the report and the workbook show, by
// language and key. Every label is a fmt format (a literal percent sign is
// written %%), and takes the same arguments in every language.
var catalogue = loadCatalogue()

func loadCatalogue() map[Lang]map[string]string {
	c := map[Lang]map[string]string{}
	for _, l := range Langs {
		b, err := messageFiles.ReadFile("messages/" + string(l) + ".json")
		if err != nil {
			panic(err) // embedded: a missing file is a build mistake
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("messages/%s.json: %v", l, err))
		}
		for _, part := range []string{"terminal.", "scenario."} {
			file := "messages/" + part + string(l) + ".json"
			b, err = messageFiles.ReadFile(file)
			if err != nil {
				panic(err)
			}
			more := map[string]string{}
			if err := json.Unmarshal(b, &more); err != nil {
				panic(fmt.Sprintf("%s: %v", file, err))
			}
			for k, v := range more {
				if _, dup := m[k]; dup {
					panic(fmt.Sprintf("%s: %q is in another file of messages/ too", file, k))
				}
				m[k] = v
			}
		}
		c[l] = m
	}
	return c
}

// ParseLang reads a --lang value: zh or en, or a locale such as zh_CN.UTF-8
// or en_GB.
func ParseLang(s string) (Lang, error) {
	switch l := strings.ToLower(s); {
	case strings.HasPrefix(l, "zh"):
		return Zh, nil
	case strings.HasPrefix(l, "en"):
		return En, nil
	}
	return "", fmt.Errorf("language %q: want zh or en", s)
}

// LangFromEnv is the language of the locale, as getenv reads it: the first
// of LC_ALL, LC_MESSAGES and LANG that is set decides, Chinese when it
// starts with zh, English otherwise.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "zh") {
				return Zh
			}
			return En
		}
	}
	return En
}

// t is the label of key in l, formatted with args. A key missing from the
// catalogue is shown as itself in brackets (the catalogue's tests keep
// that from happening).
func (l Lang) t(key string, args ...any) string {
	s, ok := catalogue[l][key]
	if !ok {
		return "[" + key + "]"
	}
	return fmt.Sprintf(s, args...)
}

// T is the label of key in l, formatted with args, for labels shown outside
// the report and the workbook (the terminal's table); "[key]" when the
// catalogue has no such key.
func (l Lang) T(key string, args ...any) string { return l.t(key, args...) }

// Has reports whether the catalogue has key in l.
func (l Lang) Has(key string) bool { return l.has(key) }

// has reports whether the catalogue has key.
func (l Lang) has(key string) bool {
	_, ok := catalogue[l][key]
	return ok
}

// money is the unit of amounts in a currency: its sign, or for yuan the
// catalogue's word ("¥", "元").
func (l Lang) money(code string) string {
	c := scenario.Currency(code)
	if c.Code() == scenario.CNY {
		return l.t("unit.cny")
	}
	return c.Symbol()
}

// millions is the unit of amounts in millions: "million ¥", "百万元".
func (l Lang) millions(code string) string { return l.t("unit.millions", l.money(code)) }

// tier is a tier's name in l: the catalogue's for the usual tiers (village,
// township, county, outside), the scenario's otherwise.
func (l Lang) tier(name string) string {
	if l.has("tier." + name) {
		return l.t("tier." + name)
	}
	return name
}

// MetricLabel is the label in l of a figure of compare.json in a currency,
// with its unit, or fallback when the catalogue has none.
func MetricLabel(l Lang, currency, metric, fallback string) string {
	return metricLabel(l, &Comparison{Currency: currency}, metric, fallback)
}
