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
// the system's MemAvailable and what the cgroup the process runs in (a
// container, a CI runner) still allows; 0 where neither is known.
func availableMemory() int64 {
	root := os.DirFS("/")
	avail := memAvailable(root)
	if c := cgroupAvailable(root); c > 0 && (avail == 0 || c < avail) {
		avail = c
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
// process in fsys (version 2's memory.max, version 1's
// memory.limit_in_bytes, at the namespace's root and at the path
// proc/self/cgroup names), of the limit less the usage; 0 where no limit
// is set or none can be read.
func cgroupAvailable(fsys fs.FS) int64 {
	v2, v1 := []string{"sys/fs/cgroup"}, []string{"sys/fs/cgroup/memory"}
	if b, err := fs.ReadFile(fsys, "proc/self/cgroup"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			parts := strings.SplitN(line, ":", 3)
			if len(parts) != 3 || parts[2] == "/" {
				continue
			}
			switch {
			case parts[0] == "0" && parts[1] == "":
				v2 = append(v2, path.Join("sys/fs/cgroup", parts[2]))
			case strings.Contains(","+parts[1]+",", ",memory,"):
				v1 = append(v1, path.Join("sys/fs/cgroup/memory", parts[2]))
			}
		}
	}
	best := int64(0)
	take := func(dir, limitFile, usageFile string) {
		limit, ok1 := readInt(fsys, path.Join(dir, limitFile))
		usage, ok2 := readInt(fsys, path.Join(dir, usageFile))
		if !ok1 || !ok2 || limit >= 1<<60 || limit <= usage { // "max", or no room reported
			return
		}
		if left := limit - usage; best == 0 || left < best {
			best = left
		}
	}
	for _, d := range v2 {
		take(d, "memory.max", "memory.current")
	}
	for _, d := range v1 {
		take(d, "memory.limit_in_bytes", "memory.usage_in_bytes")
	}
	return best
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
