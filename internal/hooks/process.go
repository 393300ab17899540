package hooks

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is one running hook program in its own process group, with its
// output being read into the log.
type process struct {
	cmd    *exec.Cmd
	pipes  [2]*os.File // read ends of stdout and stderr
	waited chan error  // cmd.Wait's result
	wg     sync.WaitGroup

	mu  sync.Mutex
	cut bool // output reading stopped at the deadline
}

// startProcess starts argv with env in a new process group, its working
// directory "/", standard input /dev/null and output going to out.
func startProcess(argv, env []string, out *output) (*process, error) {
	path, err := lookPath(argv[0])
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd := &exec.Cmd{
		Path:        path,
		Args:        argv,
		Env:         env,
		Dir:         "/",
		Stdout:      outW,
		Stderr:      errW,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	err = cmd.Start()
	// The child has its copies; ours must go so the readers see EOF.
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, err
	}
	p := &process{cmd: cmd, pipes: [2]*os.File{outR, errR}, waited: make(chan error, 1)}
	p.wg.Go(func() { p.waited <- cmd.Wait() })
	p.wg.Go(func() { p.read(outR, out.stream("stdout")) })
	p.wg.Go(func() { p.read(errR, out.stream("stderr")) })
	return p, nil
}

func (p *process) read(f *os.File, w *lineWriter) {
	_, err := io.Copy(w, f)
	w.close()
	f.Close()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		p.mu.Lock()
		p.cut = true
		p.mu.Unlock()
	}
}

// kill ends a hook that ran too long: SIGTERM to its process group, then
// SIGKILL to the group once the program has exited or after grace, whichever
// comes first. It returns cmd.Wait's result.
func (p *process) kill(grace time.Duration) error {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	var err error
	exited := false
	select {
	case err = <-p.waited:
		exited = true
	case <-t.C:
	}
	// The group outlives its leader while any member is alive, so this
	// reaches children that ignored SIGTERM even after the leader was reaped.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	if !exited {
		err = <-p.waited
	}
	return err
}

// finish waits for the output readers after the program has exited, at most
// grace; it reports whether something left behind still held the output open
// and reading was cut off.
func (p *process) finish(grace time.Duration) bool {
	deadline := time.Now().Add(grace)
	for _, f := range p.pipes {
		_ = f.SetReadDeadline(deadline)
	}
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// lookPath finds a bare program name in the hooks' clean PATH, not the
// daemon's. Names with a slash are used as they are.
func lookPath(name string) (string, error) {
	if name == "" {
		return "", errors.New("empty program name")
	}
	if strings.ContainsRune(name, '/') {
		return name, nil
	}
	for _, dir := range filepath.SplitList(cleanPath) {
		path := filepath.Join(dir, name)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return path, nil
		}
	}
	return "", fmt.Errorf("%q not in %s: %w", name, cleanPath, exec.ErrNotFound)
}
