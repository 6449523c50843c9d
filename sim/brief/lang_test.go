package brief

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCatalogue: every key of the catalogue is in every language, with a
// label, and takes the same arguments in each (the English label's verbs,
// in order; a translation may reorder them with %[n]s).
func TestCatalogue(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)
	for _, l := range Langs {
		for _, other := range Langs {
			for key := range catalogue[other] {
				if _, ok := catalogue[l][key]; !ok {
					t.Errorf("messages/%s.json lacks %q, which messages/%s.json has", l, key, other)
				}
			}
		}
	}
	for key, en := range catalogue[En] {
		var args []any
		for _, v := range verb.FindAllString(en, -1) {
			switch v[len(v)-1] {
			case '%':
			case 'd':
				args = append(args, 2025)
			case 'g', 'f', 'e':
				args = append(args, 0.5)
			default:
				args = append(args, "x")
			}
		}
		for _, l := range Langs {
			s := catalogue[l][key]
			if strings.TrimSpace(s) == "" {
				t.Errorf("messages/%s.json: %q is empty", l, key)
			}
			if got := fmt.Sprintf(s, args...); strings.Contains(got, "%!") {
				t.Errorf("messages/%s.json: %q with the arguments of the English label gives %q", l, key, got)
			}
		}
	}
}

func TestLang(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		env  []string
		want Lang
	}{
		{nil, En},
		{[]string{"LANG", "zh_CN.UTF-8"}, Zh},
		{[]string{"LANG", "en_US.UTF-8"}, En},
		{[]string{"LANG", "C.UTF-8"}, En},
		{[]string{"LC_MESSAGES", "zh_TW.UTF-8", "LANG", "en_US.UTF-8"}, Zh},
		{[]string{"LC_ALL", "en_GB.UTF-8", "LC_MESSAGES", "zh_CN.UTF-8"}, En}, // LC_ALL wins
		{[]string{"LC_ALL", "zh_CN.GB18030"}, Zh},
	} {
		assert.Equal(t, c.want, LangFromEnv(env(c.env...)), "LangFromEnv(%v)", c.env)
	}
	for in, want := range map[string]Lang{"zh": Zh, "ZH": Zh, "zh_CN.UTF-8": Zh, "en": En, "en-GB": En} {
		got, err := ParseLang(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	_, err := ParseLang("fr")
	assert.EqualError(t, err, `language "fr": want zh or en`)
	assert.Equal(t, "[chart.nothing]", En.t("chart.nothing"), "a missing key shows itself")
	assert.Equal(t, "元", Zh.money("CNY"))
	assert.Equal(t, "¥", En.money("CNY"))
	assert.Equal(t, "$", Zh.money("USD"))
	assert.Equal(t, "百万元", Zh.millions("CNY"))
	assert.Equal(t, "million $", En.millions("USD"))
}
