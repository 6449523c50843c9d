package main

import (
	"testing"
	"testing/fstest"
)

// TestAvailableMemory: MemAvailable, and a cgroup's limit less the usage
// that cannot be reclaimed, version 2 (the process's cgroup and its
// parents) and version 1 (the root, the process's path, the hierarchical
// limit); no limit ("max") counts for nothing, a full cgroup for 0.
func TestAvailableMemory(t *testing.T) {
	meminfo := &fstest.MapFile{Data: []byte("MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n")}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	cases := []struct {
		name  string
		fs    fstest.MapFS
		mem   int64 // memAvailable
		cg    int64 // cgroupAvailable
		limit bool  // a cgroup limit is set
	}{
		{"meminfo only", fstest.MapFS{"proc/meminfo": meminfo}, 20000000 << 10, 0, false},
		{"v2 limit at the root", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("2147483648\n"),
			"sys/fs/cgroup/memory.current": file("147483648\n"),
		}, 0, 2000000000, true},
		{"v2 without a limit", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("max\n"),
			"sys/fs/cgroup/memory.current": file("1000\n"),
		}, 0, 0, false},
		// The process in /ci/job; the parent /ci has the tighter limit, and
		// 300 of the job's usage is inactive file cache.
		{"v2 parent and page cache", fstest.MapFS{
			"proc/self/cgroup":                    file("0::/ci/job\n"),
			"sys/fs/cgroup/ci/job/memory.max":     file("5000\n"),
			"sys/fs/cgroup/ci/job/memory.current": file("1000\n"),
			"sys/fs/cgroup/ci/job/memory.stat":    file("anon 700\ninactive_file 300\n"),
			"sys/fs/cgroup/ci/memory.max":         file("3000\n"),
			"sys/fs/cgroup/ci/memory.current":     file("2500\n"),
		}, 0, 500, true},
		{"v2 full", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("1000\n"),
			"sys/fs/cgroup/memory.current": file("1000\n"),
		}, 0, 0, true},
		{"v1 at the process's path, cpu and memory together", fstest.MapFS{
			"proc/self/cgroup":                                  file("4:cpu,memory:/ci/job\n0::/\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes":        file("9223372036854771712\n"),
			"sys/fs/cgroup/memory/memory.usage_in_bytes":        file("600084480\n"),
			"sys/fs/cgroup/memory/ci/job/memory.limit_in_bytes": file("4000000000\n"),
			"sys/fs/cgroup/memory/ci/job/memory.usage_in_bytes": file("1000000000\n"),
			"sys/fs/cgroup/memory/ci/job/memory.stat":           file("total_inactive_file 100000000\nhierarchical_memory_limit 9223372036854771712\n"),
		}, 0, 3100000000, true},
		{"v1 hierarchical limit", fstest.MapFS{
			"proc/self/cgroup": file("4:memory:/ci/job\n"),
			"sys/fs/cgroup/memory/ci/job/memory.limit_in_bytes": file("9223372036854771712\n"),
			"sys/fs/cgroup/memory/ci/job/memory.usage_in_bytes": file("1000\n"),
			"sys/fs/cgroup/memory/ci/job/memory.stat":           file("hierarchical_memory_limit 3000\n"),
		}, 0, 2000, true},
	}
	for _, c := range cases {
		if got := memAvailable(c.fs); got != c.mem {
			t.Errorf("%s: memAvailable = %d, want %d", c.name, got, c.mem)
		}
		if got, ok := cgroupAvailable(c.fs); got != c.cg || ok != c.limit {
			t.Errorf("%s: cgroupAvailable = %d, %v; want %d, %v", c.name, got, ok, c.cg, c.limit)
		}
	}
}

// TestAvailableIn: the lesser of MemAvailable and the cgroup's room; a full
// cgroup leaves 1 byte, which refuses any run, not 0, which checks nothing.
func TestAvailableIn(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"proc/meminfo":                 file("MemAvailable:   2000 kB\n"),
		"sys/fs/cgroup/memory.max":     file("1000000\n"),
		"sys/fs/cgroup/memory.current": file("400000\n"),
	}
	if got := availableIn(fsys); got != 600000 {
		t.Errorf("availableIn(cgroup room 600,000 < MemAvailable 2,048,000) = %d", got)
	}
	fsys["sys/fs/cgroup/memory.max"] = file("9000000\n")
	if got := availableIn(fsys); got != 2000<<10 {
		t.Errorf("availableIn(MemAvailable 2,048,000 < cgroup room) = %d", got)
	}
	fsys["sys/fs/cgroup/memory.current"] = file("9000000\n")
	if got := availableIn(fsys); got != 1 {
		t.Errorf("availableIn(full cgroup) = %d, want 1", got)
	}
}
