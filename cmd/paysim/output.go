package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/paysim/paysim/sim/report"
)

// writeFiles writes every file of files (name → content) into dir, in
// order, so that none is ever half-written and the set is replaced as a
// whole or not at all:
//
//   - a target that is a regular file, or does not exist, is written to a
//     temporary file beside it, synced and closed; only when all are ready
//     are they renamed over their targets, and if a rename fails the files
//     already replaced are put back;
//   - a target that is a link is written through it: a link to a regular
//     file replaces the file it points to, never the link;
//   - a target that is a device or a pipe (/dev/stdout, /dev/null) is
//     written directly, after every regular file is ready.
//
// On any error the temporary files are removed and the error says which
// file failed.
func writeFiles(dir string, files map[string]*bytes.Buffer, order []string) (err error) {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		syncDir(filepath.Dir(canonical(dir))) // the new folder's entry in its parent
	}
	type target struct {
		name, path, temp, backup string
		direct, replaced         bool
	}
	var ts []*target
	defer func() {
		for _, t := range ts {
			if t.temp != "" {
				os.Remove(t.temp)
			}
			if t.backup != "" && err == nil {
				os.Remove(t.backup)
			}
		}
	}()
	seen := map[string]string{}
	for _, name := range order {
		t := &target{name: name}
		if t.path, t.direct, err = resolve(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		key := canonical(t.path)
		if other, dup := seen[key]; dup {
			return fmt.Errorf("writing %s: it is the same file as %s (%s); want a file of its own", name, other, key)
		}
		seen[key] = name
		ts = append(ts, t)
		if t.direct {
			continue
		}
		if t.temp, err = writeTemp(t.path, files[name]); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	// Every regular file is ready. Each old file is moved aside before the
	// new one takes its place; if any step fails, the files already
	// replaced are put back and the new ones that had no old one removed.
	rollback := func(cause error) error {
		errs := []error{cause}
		for k := len(ts) - 1; k >= 0; k-- {
			t := ts[k]
			switch {
			case t.backup != "": // the old file, moved aside, goes back
				if err := rename(t.backup, t.path); err != nil {
					errs = append(errs, fmt.Errorf("putting back %s: %w (the old file is %s)", t.name, err, t.backup))
					continue
				}
				t.backup = ""
			case t.replaced: // a new file that had no old one goes
				os.Remove(t.path)
			}
		}
		return errors.Join(errs...)
	}
	for _, t := range ts {
		if t.direct {
			continue
		}
		if fi, err := os.Lstat(t.path); err == nil && fi.Mode().IsRegular() {
			b := t.temp + ".old"
			if err := rename(t.path, b); err != nil {
				return rollback(fmt.Errorf("writing %s: keeping the old file: %w", t.name, err))
			}
			t.backup = b
		}
		if err := rename(t.temp, t.path); err != nil {
			return rollback(fmt.Errorf("writing %s: %w", t.name, err))
		}
		t.temp, t.replaced = "", true
	}
	synced := map[string]bool{}
	for _, t := range ts {
		if d := filepath.Dir(t.path); t.replaced && !synced[d] {
			syncDir(d)
			synced[d] = true
		}
	}
	for _, t := range ts {
		if !t.direct {
			continue
		}
		if err := writeDirect(t.path, files[t.name]); err != nil {
			return fmt.Errorf("writing %s: %w", t.name, err)
		}
	}
	return nil
}

// syncDir flushes a folder's entries, so that the renames into it survive a
// crash as the synced files do. It is best effort: the files are in place
// whatever happens, and some file systems cannot sync a folder. Tests
// replace it to see it called.
var syncDir = func(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// maxLinks bounds a chain of links, as the kernel's ELOOP does.
const maxLinks = 40

// dangling follows the chain of links from path to the first name that
// does not exist: where a file written through path is to be created.
func dangling(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if errors.Is(err, os.ErrNotExist) {
			if _, err := os.Stat(filepath.Dir(path)); err != nil {
				return "", fmt.Errorf("a link leads to %s, whose folder cannot be used: %w", path, err)
			}
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			return "", fmt.Errorf("%s exists but a link to it does not resolve", path)
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			// Relative to the link's folder as the system finds it: through
			// the folder's own links, before any "..".
			dir, err := filepath.EvalSymlinks(filepath.Dir(path))
			if err != nil {
				return "", err
			}
			dest = filepath.Join(dir, dest)
		}
		path = dest
	}
	return "", fmt.Errorf("%s: more than %d links in a chain", path, maxLinks)
}

// canonical is path made absolute, with the links of its folders followed:
// two names of one file give one canonical path.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// rename is os.Rename; tests replace it to make a step fail.
var rename = os.Rename

// resolve follows a link at path to what it names and reports whether that
// is to be written directly (a device, a pipe, a socket) rather than
// replaced by a rename. A directory is an error.
func resolve(path string) (string, bool, error) {
	if special(path) {
		return path, true, nil
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return path, false, nil
	}
	if err != nil {
		return "", false, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			// A link to a file not yet there: create it where the chain of
			// links ends.
			dest, err := dangling(path)
			return dest, false, err
		case err != nil:
			return "", false, err
		}
		if special(real) {
			return path, true, nil
		}
		path = real
		if fi, err = os.Stat(real); err != nil {
			return "", false, err
		}
	}
	switch {
	case fi.IsDir():
		return "", false, fmt.Errorf("%s is a directory; want a file to write", path)
	case fi.Mode().IsRegular():
		return path, false, nil
	}
	return path, true, nil
}

// special reports whether path names one of the process's open files
// (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/…/fd/N): written in place,
// never replaced, even when it resolves to a regular file (standard output
// redirected to one). Other files under /dev, such as /dev/shm, are what
// their mode says.
func special(path string) bool {
	p := filepath.ToSlash(filepath.Clean(path))
	switch {
	case p == "/dev/stdout", p == "/dev/stderr", strings.HasPrefix(p, "/dev/fd/"):
		return true
	case strings.HasPrefix(p, "/proc/"):
		return strings.Contains(p, "/fd/")
	}
	return false
}

// writeTemp writes b to a new temporary file beside path, syncs and closes
// it, and returns its name; on error it removes it.
func writeTemp(path string, b *bytes.Buffer) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".paysim-*")
	if err != nil {
		return "", err
	}
	mode := os.FileMode(0o644) // a new file: readable by all, as os.Create's 0666 under the usual umask
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm() // a replaced file keeps its permissions
	}
	_, werr := f.Write(b.Bytes())
	cerr := f.Chmod(mode)
	serr := f.Sync()
	if err := errors.Join(werr, cerr, serr, f.Close()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeDirect writes b to a device or pipe.
func writeDirect(path string, b *bytes.Buffer) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, werr := f.Write(b.Bytes())
	return errors.Join(werr, f.Close())
}

// writeJUnit writes test cases as a JUnit XML file: to standard output for
// "-" and /dev/stdout, else as writeFiles writes a file.
func writeJUnit(stdout io.Writer, path, suite string, cases []report.TestCase) error {
	var b bytes.Buffer
	if err := report.WriteJUnit(&b, suite, cases); err != nil {
		return err
	}
	if path == "-" || path == "/dev/stdout" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return usagef("--junit %s: a folder; want a file name", path)
	}
	if err := writeFiles(filepath.Dir(path), map[string]*bytes.Buffer{filepath.Base(path): &b}, []string{filepath.Base(path)}); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
