package main

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scenarioFormats are the English formats of the messages of sim/scenario,
// read from its source: the format of every call of errorf, sumf, fatalf
// and add, of every phrase, the nouns that ref and names say a name names,
// and the texts of errors.New.
func scenarioFormats(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "sim", "scenario", "*.go"))
	require.NoError(t, err)
	formats := map[string]bool{}
	lit := func(e ast.Expr) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, err := strconv.Unquote(b.Value)
			require.NoError(t, err)
			formats[s] = true
		}
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var recv, name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if id, ok := fn.X.(*ast.Ident); ok {
					recv = id.Name
				}
			}
			at := -1
			switch {
			case name == "errorf" && recv == "d": // decoder.errorf(n, path, format, …)
				at = 2
			case name == "errorf", name == "sumf", name == "fatalf", name == "add": // (pos or path, format, …)
				at = 1
			case name == "phrase", name == "New" && recv == "errors":
				at = 0
			case name == "ref" && recv == "v": // (path, what, …)
				at = 1
			case name == "names" && recv == "v": // (what, …)
				at = 0
			}
			if at >= 0 && at < len(call.Args) {
				lit(call.Args[at])
			}
			return true
		})
	}
	require.Greater(t, len(formats), 150, "the formats of sim/scenario")
	return formats
}

// scenarioCatalogue is messages/scenario.<lang>.json.
func scenarioCatalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "sim", "brief", "messages", "scenario."+lang+".json"))
	require.NoError(t, err)
	m := map[string]string{}
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// verbs are the verbs of a format by the argument each takes: a
// translation may reorder the arguments (%[2]s) but must take each with
// the same verb.
func verbs(format string) map[int]string {
	re := regexp.MustCompile(`%(?:\[(\d+)\])?([-+# 0-9.]*[a-zA-Z%])`)
	vs := map[int]string{}
	next := 1
	for _, m := range re.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		vs[next] = m[2]
		next++
	}
	return vs
}

// TestScenarioCatalogue: every key of messages/scenario.*.json is a format
// of sim/scenario (or the text of an error of the operating system it
// quotes), its English entry is the format itself, and its Chinese entry
// takes the same verbs. Logs how many of the formats are translated.
func TestScenarioCatalogue(t *testing.T) {
	formats := scenarioFormats(t)
	system := []string{syscall.ENOENT.Error(), syscall.EACCES.Error()}
	en, zh := scenarioCatalogue(t, "en"), scenarioCatalogue(t, "zh")
	for key, s := range zh {
		format, ok := strings.CutPrefix(key, "error.")
		if !assert.True(t, ok, "%q: keys start with error.", key) {
			continue
		}
		assert.True(t, formats[format] || slices.Contains(system, format), "%q is no format of sim/scenario", format)
		assert.Equal(t, format, en[key], "scenario.en.json: %q", key)
		assert.Equal(t, verbs(format), verbs(s), "scenario.zh.json: %q has other verbs: %q", key, s)
		assert.True(t, regexp.MustCompile(`\p{Han}`).MatchString(s) || s != format, "scenario.zh.json: %q is not translated: %q", key, s)
	}
	n := 0
	var missing []string
	for f := range formats {
		if _, ok := zh["error."+f]; ok {
			n++
		} else {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	t.Logf("%d of the %d formats of sim/scenario are in Chinese", n, len(formats))
	if os.Getenv("PAYSIM_MISSING") != "" {
		for _, f := range missing {
			t.Logf("untranslated: %q", f)
		}
	}
}

// TestScenarioErrorsInChinese: a bad scenario validated with --lang zh, or
// in a Chinese locale, gets its messages in Chinese at the same
// file:line:col as in English, one line for one; the English messages are
// the scenario package's own.
func TestScenarioErrorsInChinese(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C")
	f := filepath.Join("..", "..", "testdata", "bad", "undefined_tier.yaml")
	code, _, en := paysim(t, context.Background(), "validate", f)
	require.Equal(t, 2, code, en)
	assert.Equal(t, "paysim: "+f+`:6:16: groups[1].by_tier[2].tier: tier "hospital" is not defined; want one of village, township, county, outside`+"\n", en)
	code, _, zh := paysim(t, context.Background(), "validate", "--lang", "zh", f)
	assert.Equal(t, 2, code)
	assert.Equal(t, "paysim: "+f+`:6:16: groups[1].by_tier[2].tier：层级 "hospital" 未定义；应为以下之一：village, township, county, outside`+"\n", zh)

	t.Setenv("LANG", "zh_CN.UTF-8")
	f = filepath.Join("..", "..", "testdata", "bad", "unknown_key.yaml")
	_, _, zh = paysim(t, context.Background(), "validate", f)
	assert.Equal(t, "paysim: "+f+`:5:5: tiers[2] 中没有键 "capabilty"；可用的键：name, primary, in_county, outpatient, visit_charges, bed_day_charges, cost_to_charge, capability, constants；是否想写 "capability"？`+"\n", zh)

	// A file that is not there: the operating system's words too (in its
	// own language elsewhere than on Unix).
	if runtime.GOOS != "windows" {
		f = filepath.Join("..", "..", "testdata", "bad", "extends_missing.yaml")
		_, _, zh = paysim(t, context.Background(), "validate", f)
		assert.Equal(t, "paysim: "+f+`:2:10: extends "base/nope.yaml"：无法读取 `+filepath.Join("..", "..", "testdata", "bad", "base", "nope.yaml")+`：文件或文件夹不存在；需要相对于本文件的文件，或内置情景（见 paysim scenarios）`+"\n", zh)
	}

	// A folder where a scenario file should be: why it cannot be read, too.
	dir := filepath.Join(t.TempDir(), "county.yaml")
	require.NoError(t, os.Mkdir(dir, 0o755))
	code, _, zh = paysim(t, context.Background(), "validate", "--lang", "zh", dir)
	assert.Equal(t, 2, code)
	assert.Equal(t, "paysim: "+dir+": 无法读取情景文件：这是一个文件夹；需要情景文件\n", zh)

	// Every bad file: as many lines in Chinese as in English, each at the
	// same place, and in Chinese where the catalogue has its format.
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "bad", "*.yaml"))
	require.NoError(t, err)
	han := regexp.MustCompile(`\p{Han}`)
	english := regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,}`)
	quoted := regexp.MustCompile(`"[^"]*"`)
	place := regexp.MustCompile(`^paysim: [^ ]*?(:\d+)*: `)
	translated, lines := 0, 0
	for _, f := range files {
		_, _, en := paysim(t, context.Background(), "validate", "--lang", "en", f)
		_, _, zh := paysim(t, context.Background(), "validate", "--lang", "zh", f)
		el, zl := strings.Split(en, "\n"), strings.Split(zh, "\n")
		if !assert.Len(t, zl, len(el), "%s:\n%s\n%s", f, en, zh) {
			continue
		}
		for i := range el {
			assert.Equal(t, place.FindString(el[i]), place.FindString(zl[i]), "%s: line %d", f, i+1)
			if el[i] != "" {
				lines++
			}
			if han.MatchString(zl[i]) {
				translated++
			}
			// No English words left, but in what a message quotes and in
			// the YAML parser's own words.
			words := english.FindString(quoted.ReplaceAllString(strings.ReplaceAll(zl[i], "paysim scenarios", ""), ""))
			assert.True(t, words == "" || strings.Contains(zl[i], "YAML 格式错误"), "%s: line %d has English %q: %s", f, i+1, words, zl[i])
		}
	}
	t.Logf("%d bad files, %d of their %d messages in Chinese", len(files), translated, lines)
}
