package main

import (
	"bufio"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// availableMemory is the memory a new run can have [bytes]: the least of
// the system's MemAvailable and what the cgroups the process runs in (a
// container, a CI runner) still allow; 0 where neither is known, and at
// least 1 where a cgroup is full, so that a full cgroup refuses rather than
// goes unchecked.
func availableMemory() int64 { return availableIn(os.DirFS("/")) }

// availableIn is availableMemory of the system whose root is fsys.
func availableIn(fsys fs.FS) int64 {
	avail := memAvailable(fsys)
	if c, ok := cgroupAvailable(fsys); ok && (avail == 0 || c < avail) {
		avail = max(c, 1)
	}
	return avail
}

// memAvailable reads MemAvailable from proc/meminfo in fsys; 0 if absent.
func memAvailable(fsys fs.FS) int64 {
	f, err := fsys.Open("proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// cgroupAvailable is the least, over the memory cgroups that hold the
// process in fsys, of the limit less the usage that cannot be reclaimed
// (the usage less its inactive file cache), and whether any limit is set.
// Version 2: memory.max of the process's cgroup (proc/self/cgroup) and of
// each of its parents up to the root. Version 1: memory.limit_in_bytes at
// the namespace root and at the process's path, and the path's
// hierarchical_memory_limit.
func cgroupAvailable(fsys fs.FS) (int64, bool) {
	v2, v1 := []string{"sys/fs/cgroup"}, []string{"sys/fs/cgroup/memory"}
	if b, err := fs.ReadFile(fsys, "proc/self/cgroup"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			parts := strings.SplitN(line, ":", 3)
			if len(parts) != 3 || parts[2] == "/" || strings.Contains(parts[2], "..") {
				continue
			}
			switch {
			case parts[0] == "0" && parts[1] == "":
				for p := path.Clean(parts[2]); p != "/" && p != "."; p = path.Dir(p) {
					v2 = append(v2, path.Join("sys/fs/cgroup", p))
				}
			case strings.Contains(","+parts[1]+",", ",memory,"):
				v1 = append(v1, path.Join("sys/fs/cgroup/memory", parts[2]))
			}
		}
	}
	best, found := int64(0), false
	take := func(limit, usage, inactive int64) {
		if limit <= 0 || limit >= 1<<60 { // "max", or the v1 "no limit"
			return
		}
		left := max(0, limit-max(0, usage-inactive))
		if !found || left < best {
			best, found = left, true
		}
	}
	for _, d := range v2 {
		limit, ok1 := readInt(fsys, path.Join(d, "memory.max"))
		usage, ok2 := readInt(fsys, path.Join(d, "memory.current"))
		if ok1 && ok2 {
			take(limit, usage, statField(fsys, path.Join(d, "memory.stat"), "inactive_file"))
		}
	}
	for _, d := range v1 {
		usage, ok := readInt(fsys, path.Join(d, "memory.usage_in_bytes"))
		if !ok {
			continue
		}
		inactive := statField(fsys, path.Join(d, "memory.stat"), "total_inactive_file")
		if limit, ok := readInt(fsys, path.Join(d, "memory.limit_in_bytes")); ok {
			take(limit, usage, inactive)
		}
		take(statField(fsys, path.Join(d, "memory.stat"), "hierarchical_memory_limit"), usage, inactive)
	}
	return best, found
}

// statField is a field of a cgroup memory.stat file; 0 if absent.
func statField(fsys fs.FS, name, field string) int64 {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && k == field {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return 0
}

// readInt reads a file of fsys holding one integer.
func readInt(fsys fs.FS, name string) (int64, bool) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}
