package main

import (
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print a built-in scenario's file, comments and sources included",
		ArgsUsage: "NAME",
		Description: `Prints the YAML file of a scenario built into paysim (see paysim scenarios), as
it is embedded: a starting point to copy and change. A scenario that extends
another names it on its extends: line; show that one too.

Examples:
   paysim show county-ffs > my-county.yaml
   paysim show teaching/markov-4state`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("show needs one scenario name, got %d; see paysim scenarios", c.NArg())
			}
			name, ok := scenario.Builtin(c.Args().First())
			if !ok {
				return usagef("no built-in scenario %q (see paysim scenarios)%s", c.Args().First(), suggestScenario(c.Args().First()))
			}
			b, err := fs.ReadFile(scenarios.FS, name)
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write(b)
			return err
		},
	}
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print paysim's version, the source revision it was built from and the Go version",
		Action: func(c *cli.Context) error {
			fmt.Fprintln(c.App.Writer, versionLine())
			return nil
		},
	}
}

// version and revision are set by scripts/release with -ldflags -X: the
// release's version (git describe, or the one it is given) and the commit
// it was built from with the commit's time ("<hash> <time>"). A plain go
// build leaves both empty, and versionLine falls back on what the build
// recorded.
var version, revision string

// versionLine is paysim's version (the release's, else the module's, else
// "devel"), the revision and time of the source it was built from when the
// release or the build recorded them, and Go's.
func versionLine() string {
	v, rev := "devel", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if m := bi.Main.Version; m != "" && m != "(devel)" {
			v = m
		}
		var when, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = ", modified"
				}
			}
		}
		if rev != "" {
			rev = fmt.Sprintf(" (%.12s %s%s)", rev, when, dirty)
		}
	}
	if version != "" {
		v = version
	}
	if rev == "" && revision != "" {
		hash, when, _ := strings.Cut(revision, " ")
		rev = strings.TrimSuffix(fmt.Sprintf(" (%.12s %s", hash, when), " ") + ")"
	}
	return fmt.Sprintf("paysim %s%s, %s %s/%s", v, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema of the scenario format, for editors",
		Description: `Prints the JSON Schema (draft-07) of a scenario file, made from the types paysim
reads a scenario into, with their documentation: the keys of every mapping,
the type of every value, the words a key accepts. An editor that knows YAML
schemas (VS Code's YAML extension, or any editor with yaml-language-server)
then completes keys, explains them on hover and marks unknown ones, when the
scenario's first line names the schema:

   paysim schema > scenario.schema.json
   # yaml-language-server: $schema=scenario.schema.json     (first line of my-county.yaml)

The schema checks shapes only: ranges, sums and the references between names
are checked by paysim validate. The same schema is docs/scenario.schema.json.`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usagef("schema takes no arguments, got %d", c.NArg())
			}
			_, err := c.App.Writer.Write(scenario.Schema())
			return err
		},
	}
}
