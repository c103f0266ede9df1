package redisstate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestMayHaveRun: only a command that may have reached Redis is looked up
// after a failure; an answer from Redis or a connection never made means
// it did not run.
func TestMayHaveRun(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection closed while waiting for the answer", io.EOF, true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, true},
		{"read timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		{"write failed", &net.OpError{Op: "write", Net: "tcp", Err: errors.New("broken pipe")}, true},
		{"context ended while waiting", context.DeadlineExceeded, true},
		{"dial refused", dial, false},
		{"dial refused, wrapped", fmt.Errorf("redis: %w", dial), false},
		{"Redis answered an error", redis.ErrNoScript, false},
		{"Redis still loading", fmt.Errorf("x: %w", redisError("LOADING Redis is loading the dataset in memory")), false},
		{"client closed", redis.ErrClosed, false},
		{"pool timeout", redis.ErrPoolTimeout, false},
	}
	for _, tt := range tests {
		if got := mayHaveRun(tt.err); got != tt.want {
			t.Errorf("%s (%v): mayHaveRun = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// redisError is an error Redis answered (it has go-redis's RedisError
// method).
type redisError string

func (e redisError) Error() string { return string(e) }
func (redisError) RedisError()     {}
