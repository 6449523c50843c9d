package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func buffers(kv ...string) (map[string]*bytes.Buffer, []string) {
	m := map[string]*bytes.Buffer{}
	var order []string
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = bytes.NewBufferString(kv[i+1])
		order = append(order, kv[i])
	}
	return m, order
}

// TestWriteFilesThroughLinks: a link to a regular file replaces the file
// it points to and stays a link; a link to a file not yet there creates it.
func TestWriteFilesThroughLinks(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "real.json"), []byte("old"), 0o644))
	require.NoError(t, os.Symlink("real.json", filepath.Join(dir, "summary.json")))
	require.NoError(t, os.Symlink("elsewhere.csv", filepath.Join(dir, "yearly.csv")))
	files, order := buffers("summary.json", "new", "yearly.csv", "rows")
	require.NoError(t, writeFiles(dir, files, order))
	b, err := os.ReadFile(filepath.Join(dir, "real.json"))
	require.NoError(t, err)
	assert.Equal(t, "new", string(b), "the linked file's content")
	fi, err := os.Lstat(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "summary.json stays a link")
	b, err = os.ReadFile(filepath.Join(dir, "elsewhere.csv"))
	require.NoError(t, err)
	assert.Equal(t, "rows", string(b), "a dangling link's target is created")
}

// TestWriteFilesAllOrNothing: when one file of the set cannot be written,
// none is replaced and no temporary file is left.
func TestWriteFilesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "summary.json"), []byte("old"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tiers.csv"), 0o755)) // cannot be replaced by a file
	files, order := buffers("summary.json", "new", "tiers.csv", "rows")
	require.Error(t, writeFiles(dir, files, order))
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.Equal(t, "old", string(b), "summary.json replaced although the set failed")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "temporary files left: %v", entries)
}

// TestWriteFilesToDevices: /dev/null is written in place, never replaced.
func TestWriteFilesToDevices(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	files, order := buffers("null", "anything")
	require.NoError(t, writeFiles("/dev", files, order))
	fi, err := os.Stat("/dev/null")
	require.NoError(t, err)
	assert.Zero(t, fi.Mode()&os.ModeType&^os.ModeDevice&^os.ModeCharDevice, "/dev/null is still a device")
	assert.NotZero(t, fi.Mode()&os.ModeDevice, "/dev/null is still a device")
}

// TestJUnitToStandardOutput: --junit - and /dev/stdout write to standard
// output.
func TestJUnitToStandardOutput(t *testing.T) {
	for _, p := range []string{"-", "/dev/stdout"} {
		var out bytes.Buffer
		require.NoError(t, writeJUnit(&out, p, "suite", nil))
		assert.Contains(t, out.String(), "<testsuites>", p)
	}
}

// TestFullDisk: a file that cannot be written for want of space is a failed
// run (exit 1) that says which file, not a usage error.
func TestFullDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	code, _, stderr := paysim(t, context.Background(), "run", "--persons", "1000", "--years", "1", "--junit", "/dev/full")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "no space left on device")
}
