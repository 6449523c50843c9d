package main

import (
	"testing"
	"testing/fstest"
)

// TestAvailableMemory: MemAvailable, and a cgroup's limit less its usage,
// version 2 and version 1, at the root or at the process's own path; no
// limit ("max") counts for nothing.
func TestAvailableMemory(t *testing.T) {
	meminfo := &fstest.MapFile{Data: []byte("MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n")}
	cases := []struct {
		name string
		fs   fstest.MapFS
		mem  int64 // memAvailable
		cg   int64 // cgroupAvailable
	}{
		{"meminfo only", fstest.MapFS{"proc/meminfo": meminfo}, 20000000 << 10, 0},
		{"v2 limit at the root", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     {Data: []byte("2147483648\n")},
			"sys/fs/cgroup/memory.current": {Data: []byte("147483648\n")},
		}, 0, 2000000000},
		{"v2 without a limit", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     {Data: []byte("max\n")},
			"sys/fs/cgroup/memory.current": {Data: []byte("1000\n")},
		}, 0, 0},
		{"v1 at the process's path", fstest.MapFS{
			"proc/self/cgroup":                                  {Data: []byte("4:memory:/ci/job\n0::/\n")},
			"sys/fs/cgroup/memory/memory.limit_in_bytes":        {Data: []byte("9223372036854771712\n")},
			"sys/fs/cgroup/memory/memory.usage_in_bytes":        {Data: []byte("600084480\n")},
			"sys/fs/cgroup/memory/ci/job/memory.limit_in_bytes": {Data: []byte("4000000000\n")},
			"sys/fs/cgroup/memory/ci/job/memory.usage_in_bytes": {Data: []byte("1000000000\n")},
		}, 0, 3000000000},
	}
	for _, c := range cases {
		if got := memAvailable(c.fs); got != c.mem {
			t.Errorf("%s: memAvailable = %d, want %d", c.name, got, c.mem)
		}
		if got := cgroupAvailable(c.fs); got != c.cg {
			t.Errorf("%s: cgroupAvailable = %d, want %d", c.name, got, c.cg)
		}
	}
}
