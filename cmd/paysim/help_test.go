package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"
)

var update = flag.Bool("update", false, "rewrite the English help goldens of testdata")

// englishHelp is every help text of the command line, the help command's
// and --help's included: the keys help.zh.json must have.
func englishHelp() []string {
	app := newApp(io.Discard, io.Discard)
	var texts []string
	helpTexts(app, func(p *string) { texts = append(texts, *p) })
	slices.Sort(texts)
	return slices.Compact(texts)
}

// TestHelpCatalogue: help.zh.json has a Chinese text for every help text and
// no entry that no help text uses, so that the two stay in step when a help
// text changes; each Chinese text keeps its English's numbers, placeholders
// and example command lines.
func TestHelpCatalogue(t *testing.T) {
	cat := helpCatalogue()
	texts := englishHelp()
	require.Greater(t, len(texts), 100, "the walk finds the help texts")
	for _, en := range texts {
		zh, ok := cat[en]
		if !assert.True(t, ok, "help.zh.json lacks %q", en) {
			continue
		}
		if strings.ContainsFunc(en, isLower) && en != "bash|zsh|fish" {
			assert.True(t, strings.ContainsFunc(zh, isHan), "%q is not Chinese: %q", en, zh)
		}
		assert.Equal(t, numbers(en), numbers(zh), "numbers of %q", en)
		assert.Equal(t, quoted(en), quoted(zh), "back-quoted placeholders of %q", en)
		for _, line := range strings.Split(en, "\n") {
			if cmd, ok := strings.CutPrefix(line, "   paysim "); ok {
				cmd, _, _ = strings.Cut(cmd, "   ") // an example's English comment
				assert.Contains(t, zh, "paysim "+cmd, "example of %q", en)
			}
		}
	}
	for en := range cat {
		assert.True(t, slices.Contains(texts, en), "help.zh.json has %q, which no help text is", en)
	}
}

func isLower(r rune) bool { return 'a' <= r && r <= 'z' }

// numbers is the sorted numbers written in s.
func numbers(s string) []string {
	ns := regexp.MustCompile(`[0-9]+(\.[0-9]+)?`).FindAllString(s, -1)
	slices.Sort(ns)
	return ns
}

// quoted is the back-quoted words of s, which urfave/cli prints as a flag's
// placeholder.
func quoted(s string) []string { return regexp.MustCompile("`[^`]*`").FindAllString(s, -1) }

// TestHelpZh: --help in Chinese, for the app and every command: headers and
// texts in Chinese, and not one translated line of the English left.
func TestHelpZh(t *testing.T) {
	t.Parallel()
	cat := helpCatalogue()
	app := newApp(io.Discard, io.Discard)
	cases := [][]string{{"--help", "--lang", "zh"}, {"--lang", "zh"}, {"help", "--lang", "zh"}, {"help", "run", "--lang", "zh"}}
	for _, c := range app.Commands {
		cases = append(cases, []string{c.Name, "--help", "--lang", "zh"}, []string{"--lang=zh", c.Name, "-h"})
	}
	for _, args := range cases {
		code, out, stderr := paysim(t, context.Background(), args...)
		require.Equal(t, 0, code, "%v: %s", args, stderr)
		for _, want := range []string{"名称：\n", "用法：\n", "选项：\n", "显示帮助"} {
			assert.Contains(t, out, want, "%v", args)
		}
		for _, english := range []string{"NAME:", "USAGE:", "DESCRIPTION:", "OPTIONS:", "COMMANDS:", "command options", "show help", "(default: ", "Shows a list"} {
			assert.NotContains(t, out, english, "%v", args)
		}
		for _, en := range englishHelp() {
			zh := cat[en]
			for _, line := range strings.Split(en, "\n") {
				line = strings.TrimSpace(line)
				if len(line) > 12 && strings.Contains(line, " ") && !strings.Contains(zh, line) {
					assert.NotContains(t, out, line, "%v: English left", args)
				}
			}
		}
	}
	_, out, _ := paysim(t, context.Background(), "run", "--help", "--lang", "zh")
	assert.Contains(t, out, "paysim run - "+cat["run a scenario and print its yearly summary"]+"\n")
	assert.Contains(t, out, "用法：\n   paysim run [命令选项] [SCENARIO]\n")
	assert.Contains(t, out, "随机种子（默认：情景的）（默认：0）")
	_, out, _ = paysim(t, context.Background(), "--help", "--lang", "zh")
	assert.Contains(t, out, "用法：\n   paysim [全局选项] 命令 [命令选项]\n")
	assert.Contains(t, out, "\n命令：\n   run         "+cat["run a scenario and print its yearly summary"]+"\n")
}

// TestHelpEnglish: English help is urfave/cli's, byte for byte as before
// help had a language (goldens), whatever Chinese help runs beside it; the
// number of cores, --workers' default, is CORES in the golden.
func TestHelpEnglish(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"help.en.golden", []string{"--help", "--lang", "en"}},
		{"help-run.en.golden", []string{"run", "--help", "--lang", "en"}},
		{"help-run.en.golden", []string{"help", "run", "--lang=en"}},
	} {
		code, out, stderr := paysim(t, context.Background(), c.args...)
		require.Equal(t, 0, code, stderr)
		out = strings.Replace(out, fmt.Sprintf("(default: %d)\n", runtime.NumCPU()), "(default: CORES)\n", 1)
		path := filepath.Join("testdata", c.golden)
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(want), out, "%v", c.args)
	}
	for _, c := range newApp(io.Discard, io.Discard).Commands {
		if c.Name == "help" {
			continue // paysim help --help is the app's help
		}
		_, out, _ := paysim(t, context.Background(), c.Name, "--help", "--lang", "en")
		assert.Contains(t, out, "NAME:\n   paysim "+c.Name+" - "+c.Usage+"\n")
		assert.False(t, strings.ContainsFunc(out, isHan), "%s --help in English has Chinese", c.Name)
	}
}

// TestLocalizeHelpLeavesOthers: Chinese help changes its own app only, not
// urfave/cli's shared help flag, templates or a fresh app.
func TestLocalizeHelpLeavesOthers(t *testing.T) {
	t.Parallel()
	app := newApp(io.Discard, io.Discard)
	localizeHelp(app, "zh")
	assert.Equal(t, "show help", cli.HelpFlag.(*cli.BoolFlag).Usage)
	assert.True(t, strings.HasPrefix(cli.AppHelpTemplate, "NAME:"))
	assert.True(t, strings.HasPrefix(cli.CommandHelpTemplate, "NAME:"))
	assert.Equal(t, "run a scenario and print its yearly summary", newApp(io.Discard, io.Discard).Commands[0].Usage)
	assert.NotEqual(t, "run a scenario and print its yearly summary", app.Commands[0].Usage)
}
