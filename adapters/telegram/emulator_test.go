package telegram_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests talk to telegram-test-api, a Bot API emulator in Node, pinned in
// testdata/emulator. CI installs it with
//
//	npm ci --prefix adapters/telegram/testdata/emulator
//
// One emulator serves the whole package; every test uses its own bot token,
// which the emulator keeps apart.
const (
	emulatorDir     = "testdata/emulator"
	installEmulator = "npm ci --prefix adapters/telegram/testdata/emulator"
	// emulatorBotID and emulatorBotName are who the emulator's getMe says the bot is.
	emulatorBotID   = 666
	emulatorBotName = "TestNameBot"
	// replyWait bounds how long a test waits for the bot's replies.
	replyWait = 20 * time.Second
)

var emu struct {
	once   sync.Once
	url    string
	err    error
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
}

func TestMain(m *testing.M) {
	m.Run()
	stopEmulator()
}

// emulatorURL returns the base URL of the running emulator, starting it on
// first use. Without node or the npm package the test is skipped, except in
// CI, where it fails.
func emulatorURL(t *testing.T) string {
	t.Helper()
	emu.once.Do(startEmulator)
	if emu.err != nil {
		if _, ci := os.LookupEnv("CI"); ci {
			t.Fatalf("telegram emulator: %v (install it with %s)", emu.err, installEmulator)
		}
		t.Skipf("telegram emulator not available: %v (install it with %s)", emu.err, installEmulator)
	}
	return emu.url
}

func startEmulator() {
	node, err := exec.LookPath("node")
	if err != nil {
		emu.err = fmt.Errorf("node not found: %w", err)
		return
	}
	if _, err := os.Stat(filepath.Join(emulatorDir, "node_modules", "telegram-test-api", "package.json")); err != nil {
		emu.err = fmt.Errorf("telegram-test-api is not installed: %w", err)
		return
	}
	cmd := exec.Command(node, "server.js")
	cmd.Dir = emulatorDir
	emu.stderr = &syncBuffer{}
	cmd.Stderr = emu.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		emu.err = err
		return
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		emu.err = err
		return
	}
	if err := cmd.Start(); err != nil {
		emu.err = fmt.Errorf("start emulator: %w", err)
		return
	}
	emu.cmd, emu.stdin = cmd, stdin

	port := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		port <- strings.TrimPrefix(strings.TrimSpace(line), "listening ")
		_, _ = io.Copy(io.Discard, stdout) // keep the pipe drained until the emulator exits
	}()
	select {
	case p := <-port:
		if p == "" {
			emu.err = fmt.Errorf("emulator exited before listening: %s", emu.stderr.String())
			stopEmulator()
			return
		}
		emu.url = "http://127.0.0.1:" + p
	case <-time.After(30 * time.Second):
		emu.err = fmt.Errorf("emulator did not start in 30s: %s", emu.stderr.String())
		stopEmulator()
	}
}

// stopEmulator closes the emulator's stdin, which makes it exit, and kills
// it if it does not.
func stopEmulator() {
	if emu.cmd == nil {
		return
	}
	_ = emu.stdin.Close()
	done := make(chan struct{})
	go func() {
		_ = emu.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = emu.cmd.Process.Kill()
		<-done
	}
	emu.cmd = nil
}

// userClient is the HTTP client tests use for the emulator's client API; the
// load test closes its idle connections before counting goroutines.
var userClient = &http.Client{Timeout: 30 * time.Second}

// post sends v as JSON to the emulator's client API and decodes the reply into out.
func post(t *testing.T, base, path string, v, out any) {
	t.Helper()
	if err := postJSON(base+path, v, out); err != nil {
		t.Fatalf("emulator %s: %v", path, err)
	}
}

func postJSON(url string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	resp, err := userClient.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// botMessage is a message the bot sent, as the emulator stores it: the
// sendMessage parameters plus the id the emulator gave the message.
type botMessage struct {
	MessageID int   `json:"messageId"`
	Time      int64 `json:"time"` // Unix milliseconds
	Message   struct {
		ChatID          int64           `json:"chat_id"`
		Text            string          `json:"text"`
		ParseMode       string          `json:"parse_mode"`
		Entities        json.RawMessage `json:"entities"`
		ReplyParameters *struct {
			MessageID int `json:"message_id"`
		} `json:"reply_parameters"`
		ReplyMarkup *struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		} `json:"reply_markup"`
	} `json:"message"`
}

// historyItem is one entry of the emulator's history for a token: a
// message the bot sent (Message.ChatID set) or an update a user caused
// (Message.Chat or CallbackQuery set).
type historyItem struct {
	MessageID int   `json:"messageId"`
	UpdateID  int   `json:"updateId"`
	Time      int64 `json:"time"`
	Message   *struct {
		ChatID *int64 `json:"chat_id"`
		Chat   *struct {
			ID int64 `json:"id"`
		} `json:"chat"`
		Text string `json:"text"`
	} `json:"message"`
	CallbackQuery json.RawMessage `json:"callbackQuery"`
}

// history returns everything the emulator holds for token, oldest first.
func history(t *testing.T, base, token string) []historyItem {
	t.Helper()
	var resp struct {
		Result []historyItem `json:"result"`
	}
	post(t, base, "/getUpdatesHistory", map[string]any{"token": token}, &resp)
	return resp.Result
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// errTimeout is returned by waits that ran out of time.
var errTimeout = errors.New("timed out")
