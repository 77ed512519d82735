package testcontainers

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// ownerLabel names this process as the owner of the containers it starts: the host, the process
// id, and the process's start time, so that a later process reusing the id is not taken for it.
func ownerLabel() string {
	host, _ := os.Hostname()
	pid := os.Getpid()
	start, _ := processStart(pid)
	return host + " " + strconv.Itoa(pid) + " " + start
}

// processStart returns the start time of process pid in clock ticks since boot (field 22 of
// /proc/pid/stat), and whether the process exists; on systems without /proc, "" and true.
func processStart(pid int) (string, bool) {
	if runtime.GOOS != "linux" {
		return "", true
	}
	f, err := procStat(pid)
	if err != nil {
		return "", !errors.Is(err, fs.ErrNotExist)
	}
	if len(f) < 20 {
		return "", true
	}
	return f[19], true // field 22: starttime
}

// procStat returns the fields of /proc/pid/stat from the third on (f[0] is the state, f[1] the
// parent's id, f[19] the start time): the command name before them is in parentheses and may
// hold spaces, so they are counted from after its closing one. No parenthesis: no fields.
func procStat(pid int) ([]string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, nil
	}
	return strings.Fields(s[i+1:]), nil
}

// ownerAlive reports whether the process a container's owner label names may still be running.
// A container of another host (a shared Docker engine) is always taken to be alive.
func ownerAlive(label string) bool {
	f := strings.Fields(label)
	if len(f) < 2 {
		return true // not a label of ours: leave it alone
	}
	if host, _ := os.Hostname(); f[0] != host {
		return true
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil {
		return true
	}
	start, exists := processStart(pid)
	if !exists {
		return false
	}
	return len(f) < 3 || start == "" || start == f[2]
}

// removeOrphans removes the harness's containers on this host whose owning test binary has
// died (killed mid-run, or a TestMain that never called Purge), and returns how many it
// removed. Containers of binaries still running are theirs and stay.
func removeOrphans(pool *dockertest.Pool) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := pool.Client.ListContainers(docker.ListContainersOptions{
		All: true, Context: ctx, Filters: map[string][]string{"label": {labelHarness + "=1"}},
	})
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, c := range list {
		if ownerAlive(c.Labels[labelOwner]) {
			continue
		}
		err := pool.Client.RemoveContainer(docker.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true, Context: ctx})
		if err != nil {
			errs = append(errs, fmt.Errorf("container %.12s: %w", c.ID, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
