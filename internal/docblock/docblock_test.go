package docblock

import "testing"

func TestTranscriptAndReplace(t *testing.T) {
	doc := "intro\n\n```\n$ tool --help\nold line\n```\n\n```\n$ tool --version\nv1\n```\n"
	out, _, _, err := Transcript(doc, "tool --help")
	if err != nil || out != "old line\n" {
		t.Fatalf("Transcript = %q, %v", out, err)
	}
	got, err := Replace(doc, "tool --help", "new\nlines")
	if err != nil {
		t.Fatal(err)
	}
	want := "intro\n\n```\n$ tool --help\nnew\nlines\n```\n\n```\n$ tool --version\nv1\n```\n"
	if got != want {
		t.Errorf("Replace:\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []string{"```\n$ tool --help\nx\n", "none", "```\n$ tool --help\n```\n```\n$ tool --help\n```\n"} {
		if _, _, _, err := Transcript(bad, "tool --help"); err == nil {
			t.Errorf("Transcript(%q): no error", bad)
		}
	}
}
