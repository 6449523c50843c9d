package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

	// A chain of links to a missing file: the file is created at the end of
	// the chain, and every link stays a link.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.Symlink("sub/middle.csv", filepath.Join(dir, "tiers.csv")))
	require.NoError(t, os.Symlink("end.csv", filepath.Join(dir, "sub", "middle.csv")))
	files, order = buffers("tiers.csv", "tiers")
	require.NoError(t, writeFiles(dir, files, order))
	b, err = os.ReadFile(filepath.Join(dir, "sub", "end.csv"))
	require.NoError(t, err)
	assert.Equal(t, "tiers", string(b), "the end of a chain of links is created")
	for _, l := range []string{"tiers.csv", "sub/middle.csv"} {
		fi, err := os.Lstat(filepath.Join(dir, l))
		require.NoError(t, err)
		assert.NotZero(t, fi.Mode()&os.ModeSymlink, "%s stays a link", l)
	}

	// A chain of 41 links to a missing file is an error, as the system's
	// limit of 40 makes it.
	for i := range 41 {
		require.NoError(t, os.Symlink("chain-"+strconv.Itoa(i+1), filepath.Join(dir, "chain-"+strconv.Itoa(i))))
	}
	files, order = buffers("chain-0", "x")
	err = writeFiles(dir, files, order)
	require.Error(t, err)
	_, serr := os.Stat(filepath.Join(dir, "chain-41"))
	assert.True(t, os.IsNotExist(serr), "the end of an over-long chain was written")

	// A loop of links is an error, not a hang.
	require.NoError(t, os.Symlink("loop-b", filepath.Join(dir, "loop-a")))
	require.NoError(t, os.Symlink("loop-a", filepath.Join(dir, "loop-b")))
	files, order = buffers("loop-a", "x")
	require.Error(t, writeFiles(dir, files, order))
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

// TestWriteFilesSyncsFolder: once the files are renamed into place, their
// folder is synced once; a set that fails syncs nothing.
func TestWriteFilesSyncsFolder(t *testing.T) {
	var synced []string
	old := syncDir
	syncDir = func(dir string) { synced = append(synced, dir) }
	t.Cleanup(func() { syncDir = old })
	dir := t.TempDir()
	files, order := buffers("summary.json", "new", "yearly.csv", "rows")
	require.NoError(t, writeFiles(dir, files, order))
	same := func(a, b string) bool {
		fa, err1 := os.Stat(a)
		fb, err2 := os.Stat(b)
		return err1 == nil && err2 == nil && os.SameFile(fa, fb)
	}
	if assert.Len(t, synced, 1) {
		assert.True(t, same(synced[0], dir), "synced %s, want %s", synced[0], dir)
	}
	// A folder the run creates is synced in its parent too.
	synced = nil
	files, order = buffers("summary.json", "new")
	require.NoError(t, writeFiles(filepath.Join(dir, "new"), files, order))
	if assert.Len(t, synced, 2) {
		assert.True(t, same(synced[0], dir) && same(synced[1], filepath.Join(dir, "new")), "synced %v", synced)
	}
	synced = nil
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tiers.csv"), 0o755)) // cannot be replaced by a file
	files, order = buffers("summary.json", "newer", "tiers.csv", "rows")
	require.Error(t, writeFiles(dir, files, order))
	assert.Empty(t, synced)
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

// TestWriteFilesRollback: when renaming the second file of a set fails,
// the first is put back as it was, whether it existed before or not, and
// no temporary or old file is left.
func TestWriteFilesRollback(t *testing.T) {
	for _, existed := range []bool{true, false} {
		dir := t.TempDir()
		first := filepath.Join(dir, "summary.json")
		if existed {
			require.NoError(t, os.WriteFile(first, []byte("old"), 0o644))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "yearly.csv"), []byte("old rows"), 0o644))
		rename = func(from, to string) error {
			if filepath.Base(to) == "yearly.csv" && !strings.HasSuffix(from, ".old") { // the new file's rename, not the old one's return
				return errors.New("injected failure")
			}
			return os.Rename(from, to)
		}
		files, order := buffers("summary.json", "new", "yearly.csv", "rows")
		err := writeFiles(dir, files, order)
		rename = os.Rename
		require.Error(t, err)
		b, rerr := os.ReadFile(first)
		if existed {
			require.NoError(t, rerr)
			assert.Equal(t, "old", string(b), "the first file put back")
		} else {
			assert.True(t, os.IsNotExist(rerr), "a first file that did not exist is removed: %v", rerr)
		}
		b, rerr = os.ReadFile(filepath.Join(dir, "yearly.csv"))
		require.NoError(t, rerr)
		assert.Equal(t, "old rows", string(b), "the second file untouched")
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		want := 1
		if existed {
			want = 2
		}
		assert.Len(t, names, want, "files left: %v", names)
	}
}

// TestWriteFilesSameTarget: two outputs that are the same file are refused
// before anything is written.
func TestWriteFilesSameTarget(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tiers.csv"), []byte("old"), 0o644))
	require.NoError(t, os.Symlink("tiers.csv", filepath.Join(dir, "summary.json")))
	files, order := buffers("summary.json", "new", "tiers.csv", "rows")
	err := writeFiles(dir, files, order)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "same file")
	b, _ := os.ReadFile(filepath.Join(dir, "tiers.csv"))
	assert.Equal(t, "old", string(b))

	// Two dangling links to one missing file, one by its full path and one
	// relative, in a folder named relatively: refused too.
	dir = t.TempDir()
	t.Chdir(filepath.Dir(dir))
	require.NoError(t, os.Symlink(filepath.Join(dir, "x"), filepath.Join(dir, "summary.json")))
	require.NoError(t, os.Symlink("x", filepath.Join(dir, "yearly.csv")))
	files, order = buffers("summary.json", "new", "yearly.csv", "rows")
	err = writeFiles(filepath.Base(dir), files, order)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "same file")
	_, err = os.Stat(filepath.Join(dir, "x"))
	assert.True(t, os.IsNotExist(err), "x written although the set was refused")
}

// TestWriteFilesLinkThroughLinkedFolder: a relative link in a folder reached
// through a link names a file relative to the real folder, ".." included.
func TestWriteFilesLinkThroughLinkedFolder(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "real", "a"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "real", "shared"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(root, "real", "a"), filepath.Join(root, "out")))
	require.NoError(t, os.Symlink("../shared/s.json", filepath.Join(root, "real", "a", "summary.json")))
	files, order := buffers("summary.json", "new")
	require.NoError(t, writeFiles(filepath.Join(root, "out"), files, order))
	b, err := os.ReadFile(filepath.Join(root, "real", "shared", "s.json"))
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
	_, err = os.Stat(filepath.Join(root, "shared"))
	assert.True(t, os.IsNotExist(err), "a file was created beside the folder's link")
}

// TestWriteFilesUnderDevShm: an ordinary file under /dev (a tmpfs such as
// /dev/shm) is replaced like any other, not appended to.
func TestWriteFilesUnderDevShm(t *testing.T) {
	if fi, err := os.Stat("/dev/shm"); err != nil || !fi.IsDir() {
		t.Skip("no /dev/shm")
	}
	dir, err := os.MkdirTemp("/dev/shm", "paysim-test-")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	for _, content := range []string{"first", "second"} {
		files, order := buffers("summary.json", content)
		require.NoError(t, writeFiles(dir, files, order))
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.Equal(t, "second", string(b))
}
