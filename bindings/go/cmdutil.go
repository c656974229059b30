package spx

// The parts of Cmd that do not depend on the platform.

/*
#include <stdlib.h>
#include <spx.h>
*/
import "C"

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Command returns a Cmd that runs the program name with the given arguments,
// like exec.Command: a name without a path separator is looked up in PATH now,
// and a failed lookup is recorded in Err (and returned by Start) as an *Error
// at StagePrepare that matches both exec.ErrNotFound and fs.ErrNotExist.
func Command(name string, arg ...string) *Cmd {
	cmd := &Cmd{
		Path: name,
		Args: append([]string{name}, arg...),
	}
	if filepath.Base(name) == name {
		lp, err := exec.LookPath(name)
		if lp != "" {
			cmd.Path = lp
		}
		cmd.name, cmd.lookPath = name, cmd.Path
		if err != nil {
			e := &Error{Path: name, Stage: StagePrepare, Msg: "prepare: " + err.Error(), cause: err}
			if errors.Is(err, exec.ErrNotFound) {
				e.Errno = syscall.ENOENT
			} else if errno := errnoOf(err); errno != 0 {
				e.Errno = errno
			} else {
				e.Errno = errInvalid
			}
			cmd.Err, cmd.lookErr = e, e
		}
	}
	return cmd
}

// CommandContext is Command with a context: the process is killed (SIGKILL)
// if ctx is done before the command completes.
func CommandContext(ctx context.Context, name string, arg ...string) *Cmd {
	if ctx == nil {
		panic("spx: nil Context")
	}
	cmd := Command(name, arg...)
	cmd.ctx = ctx
	return cmd
}

// String returns the command line, for logs and errors.
func (c *Cmd) String() string {
	if c.Err != nil || c.lookErr != nil {
		return strings.Join(c.Args, " ")
	}
	if len(c.Args) == 0 {
		return c.Path
	}
	return strings.Join(append([]string{c.Path}, c.Args[1:]...), " ")
}

// Run starts the command and waits for it to complete. A command that ran and
// did not exit with status 0 returns an *ExitError; one that could not be
// started returns an *Error.
func (c *Cmd) Run() error {
	if err := c.Start(); err != nil {
		return err
	}
	return c.Wait()
}

// Output runs the command and returns its standard output. If Stderr is nil,
// the standard error is collected (its first and last 32 KiB) into
// ExitError.Stderr.
func (c *Cmd) Output() ([]byte, error) {
	if c.Stdout != nil {
		return nil, errors.New("spx: Stdout already set")
	}
	var stdout bytes.Buffer
	c.Stdout = &stdout
	var saver *prefixSuffixSaver
	if c.Stderr == nil {
		saver = &prefixSuffixSaver{n: 32 << 10}
		c.Stderr = saver
	}
	err := c.Run()
	if ee, ok := err.(*ExitError); ok && saver != nil {
		ee.Stderr = saver.Bytes()
	}
	return stdout.Bytes(), err
}

// CombinedOutput runs the command and returns its standard output and
// standard error, interleaved as written (both go through one pipe).
func (c *Cmd) CombinedOutput() ([]byte, error) {
	if c.Stdout != nil {
		return nil, errors.New("spx: Stdout already set")
	}
	if c.Stderr != nil {
		return nil, errors.New("spx: Stderr already set")
	}
	var b bytes.Buffer
	c.Stdout = &b
	c.Stderr = &b
	err := c.Run()
	return b.Bytes(), err
}

// StdinPipe returns a pipe connected to the command's standard input. Wait
// closes it after the command exits; the caller may close it earlier to send
// end-of-file.
func (c *Cmd) StdinPipe() (io.WriteCloser, error) {
	if c.Stdin != nil {
		return nil, errors.New("spx: Stdin already set")
	}
	if c.Process != nil {
		return nil, errors.New("spx: StdinPipe after process started")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.Stdin = pr
	c.closeAfterStart = append(c.closeAfterStart, pr)
	wc := &closeOnce{File: pw}
	c.closeAfterWait = append(c.closeAfterWait, wc)
	return wc, nil
}

// StdoutPipe returns a pipe connected to the command's standard output. Wait
// closes it, so read everything before calling Wait.
func (c *Cmd) StdoutPipe() (io.ReadCloser, error) {
	if c.Stdout != nil {
		return nil, errors.New("spx: Stdout already set")
	}
	if c.Process != nil {
		return nil, errors.New("spx: StdoutPipe after process started")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.Stdout = pw
	c.closeAfterStart = append(c.closeAfterStart, pw)
	c.closeAfterWait = append(c.closeAfterWait, pr)
	return pr, nil
}

// StderrPipe returns a pipe connected to the command's standard error. Wait
// closes it, so read everything before calling Wait.
func (c *Cmd) StderrPipe() (io.ReadCloser, error) {
	if c.Stderr != nil {
		return nil, errors.New("spx: Stderr already set")
	}
	if c.Process != nil {
		return nil, errors.New("spx: StderrPipe after process started")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.Stderr = pw
	c.closeAfterStart = append(c.closeAfterStart, pw)
	c.closeAfterWait = append(c.closeAfterWait, pr)
	return pr, nil
}

// prepareStart is the first half of Start on every platform, once the
// command itself is known to be valid: refuses a second start and a
// context already done, then opens the child's standard files.
func (c *Cmd) prepareStart() error {
	if c.Process != nil {
		return errors.New("spx: already started")
	}
	if c.ctx != nil {
		select {
		case <-c.ctx.Done():
			c.closeAll()
			return c.ctx.Err()
		default:
		}
	}
	for _, setup := range [...]func() (*os.File, error){c.stdin, c.stdout, c.stderr} {
		f, err := setup()
		if err != nil {
			c.closeAll()
			return err
		}
		c.childFiles = append(c.childFiles, f)
	}
	return nil
}

// started is the second half of Start: whatever spawn returned, it closes
// what only the child needed; on success it starts the copying goroutines
// and the watcher that kills the child when the context is done.
func (c *Cmd) started(p *Process, err error) error {
	closeAll(c.closeAfterStart)
	c.closeAfterStart = nil
	c.childFiles = nil
	if err != nil {
		closeAll(c.closeAfterWait)
		c.closeAfterWait = nil
		return err
	}
	c.Process = p

	if len(c.goroutine) > 0 {
		c.errch = make(chan error, len(c.goroutine))
		for _, fn := range c.goroutine {
			go func(fn func() error) { c.errch <- fn() }(fn)
		}
	}
	if c.ctx != nil {
		c.waitDone = make(chan struct{})
		go func(ctx context.Context, done <-chan struct{}) {
			select {
			case <-ctx.Done():
				_ = p.Kill()
			case <-done:
			}
		}(c.ctx, c.waitDone)
	}
	return nil
}

func (c *Cmd) closeAll() {
	closeAll(c.closeAfterStart)
	closeAll(c.closeAfterWait)
	c.closeAfterStart, c.closeAfterWait = nil, nil
}

// Wait waits for the command to exit and for the copying of its standard
// streams to complete, then releases everything Start acquired. It returns an
// *ExitError when the command did not exit with status 0.
func (c *Cmd) Wait() error {
	if c.Process == nil {
		return errors.New("spx: not started")
	}
	if c.finished {
		return errors.New("spx: Wait was already called")
	}
	c.finished = true

	state, err := c.Process.Wait()
	if c.waitDone != nil {
		close(c.waitDone)
	}
	c.ProcessState = state

	var copyErr error
	for range c.goroutine {
		if e := <-c.errch; e != nil && copyErr == nil {
			copyErr = e
		}
	}
	closeAll(c.closeAfterWait)
	c.closeAfterWait = nil

	if err != nil {
		return err
	}
	if !state.Success() {
		return &ExitError{ProcessState: state}
	}
	return copyErr
}

func (c *Cmd) stdin() (*os.File, error) {
	if c.Stdin == nil {
		f, err := os.Open(os.DevNull)
		if err != nil {
			return nil, err
		}
		c.closeAfterStart = append(c.closeAfterStart, f)
		return f, nil
	}
	if f, ok := c.Stdin.(*os.File); ok {
		return f, nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.closeAfterStart = append(c.closeAfterStart, pr)
	c.closeAfterWait = append(c.closeAfterWait, pw)
	src := c.Stdin
	c.goroutine = append(c.goroutine, func() error {
		_, err := io.Copy(pw, src)
		// The child may exit or close its input before reading it all.
		if brokenPipe(err) || errors.Is(err, os.ErrClosed) {
			err = nil
		}
		if cerr := pw.Close(); err == nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
		return err
	})
	return pr, nil
}

func (c *Cmd) stdout() (*os.File, error) { return c.writerFile(c.Stdout) }

func (c *Cmd) stderr() (*os.File, error) {
	if c.Stderr != nil && sameWriter(c.Stderr, c.Stdout) {
		return c.childFiles[1], nil
	}
	return c.writerFile(c.Stderr)
}

func (c *Cmd) writerFile(w io.Writer) (*os.File, error) {
	if w == nil {
		f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		c.closeAfterStart = append(c.closeAfterStart, f)
		return f, nil
	}
	if f, ok := w.(*os.File); ok {
		return f, nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.closeAfterStart = append(c.closeAfterStart, pw)
	c.closeAfterWait = append(c.closeAfterWait, pr)
	c.goroutine = append(c.goroutine, func() error {
		_, err := io.Copy(w, pr)
		_ = pr.Close() // unblocks the child if w failed
		return err
	})
	return pw, nil
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func closeAll(cs []io.Closer) {
	for _, f := range cs {
		_ = f.Close()
	}
}

// dedupEnv keeps the last value of each variable, in the order of those last
// occurrences (as os/exec does). Names compare as the platform compares them
// (envKey): exactly on Linux, case-insensitively on Windows.
func dedupEnv(env []string) []string {
	seen := make(map[string]bool, len(env))
	out := make([]string, 0, len(env))
	for i := len(env) - 1; i >= 0; i-- {
		kv := env[i]
		k := envKey(kv)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, kv)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func sameWriter(a, b io.Writer) bool {
	if b == nil || reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.TypeOf(a).Comparable() {
		return false
	}
	return a == b
}

func setString(path, what, s string, set func(*C.char) C.int) error {
	cs, err := cString(s)
	if err != nil {
		return prepareError(path, what, errInvalid)
	}
	defer freeCString(cs)
	if rc := set(cs); rc != 0 {
		return prepareError(path, what, syscall.Errno(rc))
	}
	return nil
}

// wrapPrepare turns a builder's error into an *Error at StagePrepare.
func wrapPrepare(path, what string, err error) error {
	errno := errnoOf(err)
	if errno == 0 {
		errno = errInvalid
	}
	// A builder's error already says "spx: ": Error adds it once.
	msg := strings.TrimPrefix(err.Error(), "spx: ")
	return &Error{Path: path, Stage: StagePrepare, Errno: errno, Msg: "prepare: " + what + ": " + msg, cause: err}
}

func errnoOf(err error) syscall.Errno {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return 0
}

// closeOnce is an *os.File that tolerates several Close calls.
type closeOnce struct {
	*os.File
	once sync.Once
	err  error
}

func (c *closeOnce) Close() error {
	c.once.Do(func() { c.err = c.File.Close() })
	return c.err
}

// prefixSuffixSaver keeps the first and last n bytes written to it.
type prefixSuffixSaver struct {
	n       int
	prefix  []byte
	suffix  []byte // ring buffer of the last n bytes
	pos     int    // next write position in suffix
	skipped int64
}

func (w *prefixSuffixSaver) Write(p []byte) (int, error) {
	total := len(p)
	if room := w.n - len(w.prefix); room > 0 {
		k := min(room, len(p))
		w.prefix = append(w.prefix, p[:k]...)
		p = p[k:]
	}
	for len(p) > 0 {
		if len(w.suffix) < w.n {
			k := min(w.n-len(w.suffix), len(p))
			w.suffix = append(w.suffix, p[:k]...)
			p = p[k:]
			continue
		}
		k := min(w.n-w.pos, len(p))
		w.skipped += int64(k)
		copy(w.suffix[w.pos:], p[:k])
		w.pos = (w.pos + k) % w.n
		p = p[k:]
	}
	return total, nil
}

// Bytes returns the prefix, a note of what was left out, and the suffix.
func (w *prefixSuffixSaver) Bytes() []byte {
	if w.skipped == 0 {
		return append(append([]byte(nil), w.prefix...), w.suffix...)
	}
	var b bytes.Buffer
	b.Write(w.prefix)
	b.WriteString("\n... omitting " + strconv.Itoa(int(w.skipped)) + " bytes ...\n")
	b.Write(w.suffix[w.pos:])
	b.Write(w.suffix[:w.pos])
	return b.Bytes()
}

// ExitError reports a command that ran and did not exit with status 0, like
// exec.ExitError.
type ExitError struct {
	*ProcessState

	// Stderr holds (part of) the standard error of the command when it was
	// collected by Cmd.Output because Cmd.Stderr was nil.
	Stderr []byte
}

func (e *ExitError) Error() string { return e.ProcessState.String() }
