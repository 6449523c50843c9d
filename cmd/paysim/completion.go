package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim/scenario"
)

// argsKey is where run keeps the whole command line in the app's Metadata,
// for completions: urfave/cli hands a completion the arguments it parsed,
// not the word being completed.
const argsKey = "args"

// complete prints the words that may follow a command line, for a shell:
// the flags of the command (of paysim, at the top) that start with the word
// being completed when it starts with "-"; else paysim's commands at the
// top, the names of the built-in scenarios after a command that takes one
// (and after --from), and nothing after the others. A shell falls back to
// file names when no word matches.
func complete(c *cli.Context) {
	args, _ := c.App.Metadata[argsKey].([]string)
	last := ""
	if len(args) >= 3 {
		last = args[len(args)-2] // the word before --generate-bash-completion
	}
	cmd := c.Command
	top := cmd == nil || cmd.Name == "" || cmd.Name == c.App.Name
	flags := c.App.Flags
	if !top {
		flags = cmd.Flags
	}
	switch {
	case strings.HasPrefix(last, "-") && last != "--from":
		for _, f := range append(flags, cli.HelpFlag) {
			for _, n := range f.Names() {
				if len(n) > 1 && strings.HasPrefix("--"+n, last) && "--"+n != last {
					fmt.Fprintln(c.App.Writer, "--"+n)
				}
			}
		}
	case top:
		for _, sub := range c.App.Commands {
			if !sub.Hidden {
				fmt.Fprintln(c.App.Writer, sub.Name)
			}
		}
	case slices.Contains(scenarioCommands, cmd.Name) || last == "--from":
		for _, n := range scenario.Builtins() {
			fmt.Fprintln(c.App.Writer, n)
		}
	}
}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell script that completes paysim's commands, flags and scenario names",
		ArgsUsage: "bash|zsh|fish",
		Description: `Prints a completion script for the shell named. Load it in the current shell,
or put the line in the shell's start-up file to have it in every one:

   bash:  source <(paysim completion bash)           (in ~/.bashrc)
   zsh:   source <(paysim completion zsh)            (in ~/.zshrc, after compinit)
   fish:  paysim completion fish | source            (in ~/.config/fish/config.fish)

Then Tab completes commands, a command's flags after "-", and the names of the
built-in scenarios (county-ffs, teaching/markov-4state, …) where a command
takes a scenario, falling back to file names.`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion needs one shell: bash, zsh or fish")
			}
			var script string
			switch sh := c.Args().First(); sh {
			case "bash":
				script = bashCompletion
			case "zsh":
				script = zshCompletion
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				script = s + fishScenarios()
			default:
				return usagef("completion %q: want bash, zsh or fish", sh)
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// fishScenarios completes built-in scenario names after the commands that
// take a scenario, in fish, whose generated script knows only flags and
// commands.
func fishScenarios() string {
	var b strings.Builder
	b.WriteString("\n# built-in scenarios\n")
	for _, cmd := range scenarioCommands {
		fmt.Fprintf(&b, "complete -c paysim -n '__fish_seen_subcommand_from %s' -a '(paysim %s --generate-bash-completion)'\n", cmd, cmd)
	}
	return b.String()
}

// scenarioCommands are the commands whose arguments are scenarios.
var scenarioCommands = []string{"run", "compare", "sweep", "validate", "show", "price", "init"}

// bashCompletion asks paysim for the words that may follow (urfave/cli's
// --generate-bash-completion) and falls back to file names.
const bashCompletion = `# bash completion for paysim: source <(paysim completion bash)
_paysim_complete() {
  local cur words opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:0:$COMP_CWORD}")
  if [[ "$cur" == -* ]]; then
    opts=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${words[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}
complete -o bashdefault -o default -F _paysim_complete paysim
`

// zshCompletion is bashCompletion for zsh.
const zshCompletion = `#compdef paysim
# zsh completion for paysim: source <(paysim completion zsh), after compinit
_paysim_complete() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _paysim_complete paysim
`
