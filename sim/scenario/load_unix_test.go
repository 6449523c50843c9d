//go:build unix

package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestOnlyRegularFiles: a directory, a FIFO, a device, a link to one, an
// extends target that is one, and a file over the size limit are refused
// at once with what they are.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	link := filepath.Join(dir, "zero.yaml")
	require.NoError(t, os.Symlink("/dev/zero", link))
	ext := filepath.Join(dir, "ext.yaml")
	require.NoError(t, os.WriteFile(ext, []byte("extends: fifo.yaml\n"), 0o644))
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644))
	cases := []struct{ file, want string }{
		{dir, "is a directory"},
		{fifo, "named pipe (FIFO)"},
		{"/dev/zero", "is a device"},
		{link, "is a device"},
		{ext, "named pipe (FIFO)"},
		{big, "want a scenario file of at most"},
	}
	for _, c := range cases {
		done := make(chan error, 1)
		go func() { _, err := Load(c.file, nil); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load(%s): %v; want an error saying %q", c.file, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Load(%s) still reading after 5 s", c.file)
		}
	}
}
