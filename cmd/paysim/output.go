package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paysim/paysim/sim/report"
)

// writeFiles writes every file of files (name → content) into dir so that
// none is ever half-written: each goes to a temporary file in dir first, is
// synced and closed, and only when all are ready are they renamed over
// their targets. On any error the temporary files are removed.
func writeFiles(dir string, files map[string]*bytes.Buffer, order []string) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var temps []string
	defer func() {
		if err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
		}
	}()
	for _, name := range order {
		f, err := os.CreateTemp(dir, ".paysim-*")
		if err != nil {
			return err
		}
		temps = append(temps, f.Name())
		_, werr := f.Write(files[name].Bytes())
		cerr := f.Chmod(0o644)
		serr := f.Sync()
		if err := errors.Join(werr, cerr, serr, f.Close()); err != nil {
			return err
		}
	}
	for i, name := range order {
		if err := os.Rename(temps[i], filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// writeJUnit writes test cases as a JUnit XML file, atomically.
func writeJUnit(path, suite string, cases []report.TestCase) error {
	var b bytes.Buffer
	if err := report.WriteJUnit(&b, suite, cases); err != nil {
		return err
	}
	if err := writeFiles(filepath.Dir(path), map[string]*bytes.Buffer{filepath.Base(path): &b}, []string{filepath.Base(path)}); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
