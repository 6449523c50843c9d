package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

// commentedKey matches a key init wrote commented out: "# " then the
// key's line as it would stand in the file.
var commentedKey = regexp.MustCompile(`(?m)^# ( *(?:- )?[a-z_]+:.*)$`)

// TestInit: init writes a scenario that loads as the built-in one under a
// new name; uncommenting every key it lists still loads and changes
// nothing (the comments hold the base's values at the right paths); an
// existing file is refused.
func TestInit(t *testing.T) {
	for _, from := range []string{"county-ffs", "county-global-budget", "teaching/markov-4state"} {
		t.Run(from, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "my county.yaml")
			code, _, stderr := paysim(t, context.Background(), "init", "--from", from, file)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, "wrote "+file+", which extends "+from)
			text, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Contains(t, string(text), "\nextends: "+from+"\nname: my-county\n")

			base, err := scenario.LoadFS(scenarios.FS, from+".yaml", nil)
			require.NoError(t, err)
			s, err := scenario.Load(file, nil)
			require.NoError(t, err)
			assert.Equal(t, "my-county", s.Name)
			assert.Equal(t, base.Years, s.Years)

			keys := commentedKey.FindAllStringSubmatch(string(text), -1)
			require.GreaterOrEqual(t, len(keys), 2, "years and more, commented out")
			open := filepath.Join(filepath.Dir(file), "open.yaml")
			require.NoError(t, os.WriteFile(open, []byte(commentedKey.ReplaceAllString(string(text), "$1")), 0o644))
			u, err := scenario.Load(open, nil)
			require.NoError(t, err, "every key uncommented")
			if from != "teaching/markov-4state" {
				assert.Equal(t, base.Population.Size, u.Population.Size)
				assert.Equal(t, base.Fund, u.Fund)
				assert.Equal(t, base.Benefit.Tiers[2].Inpatient.Ratio, u.Benefit.Tiers[2].Inpatient.Ratio)
				assert.Contains(t, string(text), "#       inpatient: {deductible: 400, ratio: 0.78}\n#     - tier: outside\n")
				assert.Equal(t, base.Responses != nil, u.Responses != nil && *u.Responses.Enabled, "responses as in the base")
			}

			code, _, stderr = paysim(t, context.Background(), "init", file)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, "exists; init never overwrites a file")
			again, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, string(text), string(again), "the file is untouched")
		})
	}
	code, _, stderr := paysim(t, context.Background(), "init", "--from", "county-dp", filepath.Join(t.TempDir(), "x.yaml"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--from "county-dp": no built-in scenario (see paysim scenarios); did you mean county-dip?`)
	code, _, _ = paysim(t, context.Background(), "init")
	assert.Equal(t, 2, code)
}

// TestInitRuns: the starter file runs as given, from its own folder with
// no scenario beside it.
func TestInitRuns(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "county.yaml")
	code, _, stderr := paysim(t, context.Background(), "init", file)
	require.Equal(t, 0, code, stderr)
	code, out, stderr := paysim(t, context.Background(), "run", file, "--persons", "2000", "--years", "1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "county: 2,000 persons, 2025")
}

// TestInitDir: init DIR makes the folder and writes county.yaml, named
// after the folder, and a README.md whose every command runs there (made
// small: fewer persons, years and replicates); an empty folder is used,
// a folder with anything in it or a file in the way is refused and left
// as it was.
func TestInitDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "lu jiang")
	code, _, stderr := paysim(t, context.Background(), "init", dir)
	require.Equal(t, 0, code, stderr)
	file := filepath.Join(dir, "county.yaml")
	assert.Equal(t, "wrote "+file+", which extends county-ffs, and "+filepath.Join(dir, "README.md")+"; check it with: paysim validate "+file+"\n", stderr)
	s, err := scenario.Load(file, nil)
	require.NoError(t, err)
	assert.Equal(t, "lu-jiang", s.Name)
	code, out, stderr := paysim(t, context.Background(), "run", file, "--persons", "2000", "--years", "1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "lu-jiang: 2,000 persons, 2025–2025")

	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(readme), "# lu-jiang\n"), string(readme))
	assert.Contains(t, string(readme), "docs/scenario.md")
	t.Chdir(dir)
	small := strings.NewReplacer("--persons 20000", "--persons 1000 --years 1", "--replicates 10", "--replicates 2 --persons 1000 --years 1",
		"--out out", "--out out --persons 1000 --years 1")
	var ran []string
	for _, line := range strings.Split(string(readme), "\n") {
		cmd, _, _ := strings.Cut(line, "#")
		cmd = strings.TrimSpace(cmd)
		if !strings.HasPrefix(cmd, "paysim ") {
			continue
		}
		args := strings.Fields(small.Replace(cmd))[1:]
		code, _, stderr := paysim(t, context.Background(), args...)
		require.Equal(t, 0, code, "%s: %s", cmd, stderr)
		ran = append(ran, args[0])
	}
	assert.Equal(t, []string{"validate", "run", "run", "compare", "report"}, ran)
	for _, f := range []string{"out/summary.json", "compare/compare.json", "report.html", "results.xlsx"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}

	empty := filepath.Join(root, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	code, _, stderr = paysim(t, context.Background(), "init", "--from", "county-drg", empty+string(filepath.Separator))
	require.Equal(t, 0, code, stderr)
	text, err := os.ReadFile(filepath.Join(empty, "county.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(text), "\nextends: county-drg\nname: empty\n")
	readme, err = os.ReadFile(filepath.Join(empty, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "paysim compare county-drg county.yaml")

	code, _, stderr = paysim(t, context.Background(), "init", empty)
	assert.Equal(t, 2, code)
	assert.Equal(t, "paysim: "+empty+" is a folder that is not empty; init starts a county only in a new or empty folder\n", stderr)
	again, err := os.ReadFile(filepath.Join(empty, "county.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(text), string(again), "the folder is untouched")

	notes := filepath.Join(root, "notes")
	require.NoError(t, os.WriteFile(notes, []byte("mine"), 0o644))
	code, _, stderr = paysim(t, context.Background(), "init", notes)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, notes+" exists; init never overwrites a file")
	mine, err := os.ReadFile(notes)
	require.NoError(t, err)
	assert.Equal(t, "mine", string(mine))
}

func TestScenarioName(t *testing.T) {
	for in, want := range map[string]string{
		"my-county.yaml":        "my-county",
		"dir/lu.jiang 2025.yml": "lu-jiang-2025",
		"县.yaml":                "县",
		".yaml":                 "my-county",
	} {
		if got := scenarioName(in); got != want {
			t.Errorf("scenarioName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCompletion: the words paysim offers a shell, and the bash script
// completing through them in a real bash when there is one.
func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		want, miss []string
	}{
		{[]string{"--generate-bash-completion"}, []string{"run\n", "compare\n", "init\n", "completion\n"}, nil},
		{[]string{"run", "--generate-bash-completion"}, []string{"county-ffs\n", "teaching/markov-4state\n"}, []string{"--persons"}},
		{[]string{"compare", "county-ffs", "--rep", "--generate-bash-completion"}, []string{"--replicates\n", "--report\n"}, []string{"county-ffs", "--seed"}},
		{[]string{"init", "--from", "--generate-bash-completion"}, []string{"county-drg\n"}, []string{"--from"}},
	} {
		code, out, stderr := paysim(t, context.Background(), tc.args...)
		require.Equal(t, 0, code, stderr)
		for _, w := range tc.want {
			assert.Contains(t, out, w, "%q", tc.args)
		}
		for _, m := range tc.miss {
			assert.NotContains(t, out, m, "%q", tc.args)
		}
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, stderr := paysim(t, context.Background(), "completion", sh)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, out, "paysim", sh)
	}
	code, _, stderr := paysim(t, context.Background(), "completion", "tcsh")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "want bash, zsh or fish")

	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to complete in")
	}
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	require.NoError(t, os.Symlink(self, filepath.Join(bin, "paysim")))
	script := `source <(paysim completion bash)
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _paysim_complete; echo "${COMPREPLY[*]}"; }
complete_words paysim run teaching/m
complete_words paysim comp
complete_words paysim run --rep
`
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(os.Environ(), asPaysim+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "teaching/markov-4state\ncompare completion\n--replicates --report\n", string(out))
}

// TestSchemaCommand: paysim schema prints the committed schema.
func TestSchemaCommand(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "schema")
	require.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenario.schema.json"))
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
	code, _, _ = paysim(t, context.Background(), "schema", "extra")
	assert.Equal(t, 2, code)
}

func TestResponsesNote(t *testing.T) {
	for _, tc := range []struct {
		on   []bool
		want string
	}{
		{[]bool{false, false, false}, "provider responses off"},
		{[]bool{true, true, true}, "provider responses on"},
		{[]bool{false, true, true}, "provider responses on in b, c, off in a"},
		{nil, "provider responses unknown"},
	} {
		c := &study.Comparison{Scenarios: []string{"a", "b", "c"}, Responses: tc.on}
		if got := responsesNote(c, report.English); got != tc.want {
			t.Errorf("responsesNote(%v) = %q, want %q", tc.on, got, tc.want)
		}
	}
}

// TestTableChinese: --lang zh prints the run and compare tables in Chinese
// from the catalogue, every label found there (none left in English but
// the scenario's own names), the figures of every row ending in the same
// cell of the terminal; --lang en prints what WriteTable does.
func TestTableChinese(t *testing.T) {
	aligned := func(t *testing.T, block string) {
		t.Helper()
		right := -1
		for _, line := range strings.Split(block, "\n") {
			if !regexp.MustCompile(`[\d%]$`).MatchString(line) {
				continue
			}
			if right < 0 {
				right = report.Width(line)
			}
			assert.Equal(t, right, report.Width(line), "row %q", line)
		}
	}
	code, out, stderr := paysim(t, context.Background(), "run", "county-global-budget", "--persons", "2000", "--years", "2",
		"--set", "responses.enabled=true", "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"county-global-budget：2,000 人，2025–2026 年，按月循环，随机种子 20250101，医疗机构响应激励\n",
		"  基金（百万元）\n", "    县级医院 ", "  county-medical-community 总额预算（百万元）\n", "    hypertension 控制率 ", "  期初人均，2 年合计 "} {
		assert.Contains(t, out, want)
	}
	blocks := strings.Split(out, "\n\n")
	require.Len(t, blocks, 3)
	aligned(t, blocks[1])
	// Every label is the catalogue's: no English word is left but the
	// scenario's names.
	rest := regexp.MustCompile(`county-global-budget|county-medical-community|hypertension|diabetes`).ReplaceAllString(out, "")
	assert.NotRegexp(t, `[a-zA-Z]{2,}`, rest)

	code, out, stderr = paysim(t, context.Background(), "compare", "county-ffs", "county-global-budget", "--persons", "2000", "--years", "2",
		"--replicates", "2", "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, "county-ffs 对比 county-global-budget；随机种子 20250101，2 次配对重复；Δ：与 county-ffs 之差，± 其 95% 区间；医疗机构不响应激励\n"), out)
	blocks = strings.Split(out, "\n\n")[1:]
	assert.Contains(t, blocks[len(blocks)-1], "期初人均成本效果", "the cost-effectiveness block")
	for _, block := range blocks {
		aligned(t, block)
		assert.NotRegexp(t, `[a-zA-Z]{2,}`, regexp.MustCompile(`county-ffs|county-global-budget|ICER`).ReplaceAllString(block, ""), block)
	}

	// English through the catalogue is the table as written.
	var want strings.Builder
	code, js, stderr := paysim(t, context.Background(), "run", "teaching/small-county", "--persons", "500", "--format", "json")
	require.Equal(t, 0, code, stderr)
	sum, err := brief.DecodeSummary([]byte(js))
	require.NoError(t, err)
	require.NoError(t, report.WriteTable(&want, sum))
	var got strings.Builder
	require.NoError(t, report.WriteTableIn(&got, sum, tableLabels(brief.En)))
	assert.Equal(t, want.String(), got.String())
}

// TestUsageErrorsChinese: every usage error's format is in the catalogue
// in every language, and --lang zh (or a Chinese locale) says them in
// Chinese, suggestions included; English stays as written.
func TestUsageErrorsChinese(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	formats := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		require.NoError(t, err)
		ast.Inspect(af, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := c.Fun.(*ast.Ident); !ok || id.Name != "usagef" {
				return true
			}
			lit, ok := c.Args[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: usagef with a format that is not a literal", f)
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			formats++
			for _, l := range brief.Langs {
				if !l.Has("error." + format) {
					t.Errorf("messages/terminal.%s.json lacks %q (%s)", l, "error."+format, f)
				}
			}
			return true
		})
	}
	assert.Greater(t, formats, 50, "usagef calls found")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "contry-ffs", "--lang", "zh"}, `paysim: 没有情景文件或内置情景 "contry-ffs"（见 paysim scenarios）；是否想用 county-ffs？` + "\n"},
		{[]string{"run", "--persns", "3", "--lang=zh"}, "paysim: 未定义的选项：-persns；是否想用 --persons？\n"},
		{[]string{"compre", "a", "--lang", "zh"}, `paysim: 没有命令 "compre"；见 paysim --help；是否想用 compare？` + "\n"},
		{[]string{"validate", "--lang", "zh"}, "paysim: validate 至少需要一个 FILE\n"},
		{[]string{"run", "contry-ffs", "--lang", "en"}, `paysim: no scenario file or built-in scenario "contry-ffs" (see paysim scenarios); did you mean county-ffs?` + "\n"},
		{[]string{"run", "--lang", "fr"}, `paysim: --lang: language "fr": want zh or en` + "\n"},
	} {
		code, _, stderr := paysim(t, context.Background(), tc.args...)
		assert.Equal(t, 2, code, "%q", tc.args)
		assert.Equal(t, tc.want, stderr, "%q", tc.args)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	_, _, stderr := paysim(t, context.Background(), "show", "county-dp")
	assert.Equal(t, `paysim: 没有内置情景 "county-dp"（见 paysim scenarios）；是否想用 county-dip？`+"\n", stderr, "the locale's language")
}
