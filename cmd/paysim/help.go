package main

import (
	_ "embed"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim/brief"
)

// helpZhJSON maps each English help text of the command line (helpTexts)
// to its Chinese, as raw text: the texts are not formats (they hold % signs).
//
//go:embed help.zh.json
var helpZhJSON []byte

// helpCatalogue is help.zh.json read. It panics when the file does not
// parse, a bug of the build that the tests catch.
func helpCatalogue() map[string]string {
	var m map[string]string
	if err := json.Unmarshal(helpZhJSON, &m); err != nil {
		panic("cmd/paysim/help.zh.json: " + err.Error())
	}
	return m
}

// helpTexts calls f with each help text of app, to read or replace: the
// app's Usage and Description; each command's Usage, ArgsUsage when it has
// words (not only names of arguments such as FILE...) and Description; each
// flag's Usage. Empty texts are skipped.
func helpTexts(app *cli.App, f func(*string)) {
	visit := func(p *string) {
		if *p != "" {
			f(p)
		}
	}
	visit(&app.Usage)
	visit(&app.Description)
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			visit(&c.Usage)
			if strings.ContainsFunc(c.ArgsUsage, unicode.IsLower) {
				visit(&c.ArgsUsage)
			}
			visit(&c.Description)
			for _, fl := range c.Flags {
				if p := flagUsage(fl); p != nil {
					visit(p)
				}
			}
			walk(c.Subcommands)
		}
	}
	for _, fl := range app.Flags {
		if p := flagUsage(fl); p != nil {
			visit(p)
		}
	}
	walk(app.Commands)
}

// flagUsage is the address of a flag's Usage field, nil when its type has
// none.
func flagUsage(f cli.Flag) *string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	u := v.Elem().FieldByName("Usage")
	if !u.IsValid() || u.Kind() != reflect.String {
		return nil
	}
	return u.Addr().Interface().(*string)
}

// localizeHelp makes app's help speak l: its texts from the catalogue and
// the headers of its help templates, set on app and its commands (not on
// urfave/cli's package variables, which other apps share). English leaves
// app as it is.
func localizeHelp(app *cli.App, l brief.Lang) {
	if l != brief.Zh {
		return
	}
	cat := helpCatalogue()
	helpTexts(app, func(p *string) {
		if zh, ok := cat[*p]; ok {
			*p = zh
		}
	})
	app.CustomAppHelpTemplate = zhTemplate(cli.AppHelpTemplate)
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			t := cli.CommandHelpTemplate // as urfave/cli chooses
			if len(c.Subcommands) > 0 {
				t = cli.SubcommandHelpTemplate
			}
			c.CustomHelpTemplate = zhTemplate(t)
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// zhUsageTemplate is urfave/cli's usage line of a command (its
// usageTemplate) in Chinese.
const zhUsageTemplate = `{{if .UsageText}}{{wrap .UsageText 3}}{{else}}{{.HelpName}}{{if .VisibleFlags}} [命令选项]{{end}}{{if .ArgsUsage}} {{.ArgsUsage}}{{else}}{{if .Args}} [参数...]{{end}}{{end}}{{end}}`

// zhHeaders puts the headers and fixed words of urfave/cli's help
// templates in Chinese, keeping the templates' structure.
var zhHeaders = strings.NewReplacer(
	"NAME:", "名称：",
	"USAGE:", "用法：",
	"DESCRIPTION:", "说明：",
	"COMMANDS:", "命令：",
	"GLOBAL OPTIONS:", "全局选项：",
	"OPTIONS:", "选项：",
	"CATEGORY:", "类别：",
	"VERSION:", "版本：",
	"[global options]", "[全局选项]",
	" command [command options]", " 命令 [命令选项]",
	" [arguments...]", " [参数...]",
	`{{template "usageTemplate" .}}`, zhUsageTemplate,
)

// zhTemplate is the help template t with Chinese headers.
func zhTemplate(t string) string { return zhHeaders.Replace(t) }

// withHelp gives app and its commands a help command and --help flag of
// their own, in place of urfave/cli's shared ones (cli.HelpFlag and its help
// command), so that their texts can be said in another language without
// changing other apps'. Their English texts, and so the English help, are
// urfave/cli's; the help command takes --lang as every command does.
func withHelp(app *cli.App) {
	helpFlag := func() cli.Flag {
		return &cli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help", DisableDefaultText: true}
	}
	app.HideHelp = true // no cli.HelpFlag, no shared help command
	app.Flags = append(app.Flags, helpFlag())
	app.Commands = append(app.Commands, &cli.Command{
		Name:         "help",
		Aliases:      []string{"h"},
		Usage:        "Shows a list of commands or help for one command",
		ArgsUsage:    "[command]",
		Flags:        []cli.Flag{langFlag()},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return cli.ShowCommandHelp(c, c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	})
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			c.HideHelp = true
			c.Flags = append(c.Flags, helpFlag())
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

func init() { cli.FlagStringer = defaultIn(cli.FlagStringer) }

// defaultIn is the flag stringer next with the default value urfave/cli
// appends, " (default: V)", said as "（默认：V）" when the flag's usage is
// Chinese (localizeHelp). A flag in English prints as next prints it.
func defaultIn(next cli.FlagStringFunc) cli.FlagStringFunc {
	return func(f cli.Flag) string {
		s := next(f)
		if p := flagUsage(f); p == nil || !strings.ContainsFunc(*p, isHan) {
			return s
		}
		const en = " (default: "
		if i := strings.LastIndex(s, en); i >= 0 && strings.HasSuffix(s, ")") {
			s = s[:i] + "（默认：" + s[i+len(en):len(s)-1] + "）"
		}
		return s
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
