package kit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/manifest"
)

// TestPayloads: each kind of body reaches the target with its media type
// and bytes, and reads back as what was meant (a form's values, a
// multipart form's fields).
func TestPayloads(t *testing.T) {
	type seen struct {
		contentType string
		body        []byte
		form        url.Values
	}
	var got seen
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = seen{contentType: r.Header.Get("Content-Type")}
		switch r.Header.Get("Content-Type") {
		case MediaForm:
			_ = r.ParseForm()
			got.form = r.PostForm
		case MediaJSON:
			got.body, _ = io.ReadAll(r.Body)
		default:
			if err := r.ParseMultipartForm(1 << 20); err == nil {
				got.form = url.Values(r.MultipartForm.Value)
			}
		}
	}))
	defer ts.Close()
	env := &Env{Config: conform.Config{Timeout: manifest.Duration(5 * time.Second)}, Client: ts.Client(), Coverage: NewCoverage()}
	a := &API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{BaseURL: ts.URL}}
	send := func(p *Payload) {
		t.Helper()
		NewT(env, a).Do(Request{Method: http.MethodPost, Path: "/p", Body: p})
	}

	send(JSON([]byte(`{"a":`)))
	if got.contentType != MediaJSON || string(got.body) != `{"a":` {
		t.Errorf("malformed JSON as given: %+v", got)
	}
	p, err := JSONOf(map[string]any{"b": 1, "a": "x"})
	if err != nil {
		t.Fatal(err)
	}
	send(p)
	if string(got.body) != `{"a":"x","b":1}` {
		t.Errorf("JSONOf: %s", got.body)
	}
	send(Form(url.Values{"name": {"O'Brien & co"}, "n": {"1"}}))
	if got.contentType != MediaForm || got.form.Get("name") != "O'Brien & co" || got.form.Get("n") != "1" {
		t.Errorf("form: %+v", got)
	}
	mp := Multipart(map[string]string{"title": "a\r\nb", "n": "2"})
	send(mp)
	if got.form.Get("title") != "a\r\nb" || got.form.Get("n") != "2" {
		t.Errorf("multipart: %+v", got)
	}
	if again := Multipart(map[string]string{"n": "2", "title": "a\r\nb"}); string(again.Data) != string(mp.Data) || again.MediaType != mp.MediaType {
		t.Error("the same fields give other bytes")
	}
	if line := CurlLine(Exchange{Method: "POST", URL: "http://h/p"}, Request{Body: Form(url.Values{"a": {"1"}})}); line != `curl -s -X POST -H 'Content-Type: application/x-www-form-urlencoded' -d 'a=1' 'http://h/p'` {
		t.Errorf("curl line %s", line)
	}
}
