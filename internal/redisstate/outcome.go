package redisstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/store"
)

// fenceTTL is how long a fence (a write found not applied) is kept, in
// seconds: far longer than an append sent before its writer gave it up
// can wait in Redis's input buffer. After it expires the lookup decides
// the same again from the stream.
const fenceTTL = 3600

// outcomeScript tells what became of write ARGV[2], appended after
// ARGV[1] ("" for the start of the log) by an append whose answer was
// lost. Such an entry can only be the one right after ARGV[1]:
//
//   - the write is fenced (KEYS[2]): not applied ({0});
//   - the next entry carries the write id: applied there ({1, id});
//   - the next entry is another write: not applied, and never will be,
//     since the stream no longer ends at ARGV[1] ({0});
//   - the next entry is a reset: it trimmed what came before it, so the
//     write may have been there: unknown ({2, reason});
//   - nothing follows ARGV[1]: not applied; the write is fenced, so an
//     append of it still under way is refused when it arrives ({0});
//     unless the stream no longer holds ARGV[1] at all (Redis lost data):
//     unknown.
var outcomeScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return {0, ''} end
local start = '-'
if ARGV[1] ~= '' then start = '(' .. ARGV[1] end
local nxt = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1)
if #nxt > 0 then
  local id, f = nxt[1][1], nxt[1][2]
  local w, e = '', ''
  for i = 1, #f, 2 do
    if f[i] == 'w' then w = f[i+1] elseif f[i] == 'e' then e = f[i+1] end
  end
  if w == ARGV[2] then return {1, id} end
  local ok, v = pcall(cjson.decode, e)
  if ok and type(v) == 'table' and v['reset'] == true then
    return {2, 'a reset (' .. id .. ') was appended right after the position the write appended after, and removed what came before it: the write, applied or not, was undone by that reset'}
  end
  return {0, ''}
end
if ARGV[1] ~= '' and #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then
  return {2, 'the log no longer holds the position the write appended after (Redis lost data)'}
end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
return {0, ''}
`)

func (l *streamLog) Outcome(ctx context.Context, after, write string) (store.WriteOutcome, error) {
	res, err := outcomeScript.Run(ctx, l.rdb, []string{l.key, l.fence(write)}, after, write, strconv.Itoa(fenceTTL)).Slice()
	if err != nil {
		return store.WriteOutcome{}, err
	}
	if len(res) != 2 {
		return store.WriteOutcome{}, fmt.Errorf("outcome: unexpected answer %v", res)
	}
	code, _ := res[0].(int64)
	text, _ := res[1].(string)
	switch code {
	case 1:
		return store.WriteOutcome{Outcome: store.OutcomeApplied, Position: text}, nil
	case 0:
		return store.WriteOutcome{Outcome: store.OutcomeNotApplied}, nil
	}
	return store.WriteOutcome{Outcome: store.OutcomeUnknown, Reason: text}, nil
}

// fence is the key that marks write as given up.
func (l *streamLog) fence(write string) string { return l.fences + keyPart(write) }

// mayHaveRun reports whether a command that failed with err may have run
// in Redis all the same: its answer, not the command, was lost (the
// connection dropped or timed out after the command was sent). An error
// Redis answered, a connection never made and a closed client mean that
// it did not run.
func mayHaveRun(err error) bool {
	var rerr redis.Error
	var op *net.OpError
	switch {
	case errors.As(err, &rerr):
		return false
	case errors.As(err, &op) && op.Op == "dial":
		return false
	case errors.Is(err, redis.ErrClosed), errors.Is(err, redis.ErrPoolTimeout), errors.Is(err, redis.ErrPoolExhausted):
		return false
	}
	return true
}
