package brief

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browser finds a Chromium or Chrome to open the report in: $PAYSIM_BROWSER,
// or the usual names on the PATH.
func browser() string {
	if p := os.Getenv("PAYSIM_BROWSER"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// renderedChart is what the page shows of one chart container.
type renderedChart struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	SVGs   int    `json:"svgs"`
	Shapes int    `json:"shapes"` // paths, rectangles and texts drawn in it
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Series are the series ECharts made of the chart's option, and Want
	// the option's: a series of a type ECharts does not know is dropped
	// without an error.
	Series int `json:"series"`
	Want   int `json:"want"`
}

// TestReportInBrowser opens the report of every test folder, in both
// languages, in headless Chromium, and checks that every chart was drawn
// (its container holds an SVG with shapes in it, and a series for each of
// its option's), that showing each chart's tooltip throws nothing, and
// that the page met no script error and logged no console error. Without a browser it is skipped, unless
// PAYSIM_REQUIRE_BROWSER is set (.ci/run installs Chromium and sets it).
func TestReportInBrowser(t *testing.T) {
	exe := browser()
	if exe == "" {
		if os.Getenv("PAYSIM_REQUIRE_BROWSER") != "" {
			t.Fatal("PAYSIM_REQUIRE_BROWSER is set and no Chromium or Chrome was found")
		}
		t.Skip("no Chromium or Chrome found (apt-get install chromium, or set PAYSIM_BROWSER): the report was not opened in a browser")
	}
	if testing.Short() {
		t.Skip("-short: the report was not opened in a browser")
	}
	srcs := testSources(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1200, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	for _, l := range Langs {
		t.Run(string(l), func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteHTML(&b, l, srcs))
			path := filepath.Join(t.TempDir(), "report.html")
			require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
			want := strings.Count(b.String(), `<div class="chart"`)

			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			// Console starts the browser and hears from then on every console
			// call, uncaught exception and browser log entry of the page.
			messages := chromedp.Console(ctx)
			var problems []string
			heard := make(chan struct{})
			go func() {
				defer close(heard)
				for m, err := range messages {
					if err != nil {
						return
					}
					if m.Type == chromedp.ConsoleError || m.IsException() {
						problems = append(problems, m.String())
					}
				}
			}()
			tctx, stop := context.WithTimeout(ctx, 60*time.Second)
			defer stop()
			start := time.Now()
			require.NoError(t, chromedp.Do(tctx, chromedp.Navigate("file://"+path), chromedp.WaitReady("footer")))
			charts, err := chromedp.Run(tctx, chromedp.Evaluate[[]renderedChart](`Array.from(document.querySelectorAll('.chart')).map(el => ({
				id: el.id, key: el.dataset.key, svgs: el.querySelectorAll('svg').length,
				shapes: el.querySelectorAll('svg path, svg rect, svg text').length,
				width: el.clientWidth, height: el.clientHeight,
				series: echarts.getInstanceByDom(el).getModel().getSeries().length,
				want: [].concat(PAYSIM.charts.find(c => c.id === el.id).option.series || []).length}))`))
			require.NoError(t, err)
			// Show each chart's tooltip at its first point, so that the
			// formatters run.
			_, err = chromedp.Run(tctx, chromedp.Evaluate[bool](`document.querySelectorAll('.chart').forEach(el => {
				echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
			}); true`))
			require.NoError(t, err)
			require.NoError(t, chromedp.Do(tctx, chromedp.Sleep(300*time.Millisecond)))
			state, err := chromedp.Run(tctx, chromedp.Evaluate[struct{ Charts, Rendered, Errors int }](
				`({Charts: window.__paysim.charts, Rendered: window.__paysim.rendered, Errors: window.__paysim.errors})`))
			require.NoError(t, err)
			elapsed := time.Since(start)
			cancel()
			<-heard
			t.Logf("%s: %d charts opened in %s (%s) in %v", l, len(charts), filepath.Base(exe), path, elapsed.Round(time.Millisecond))
			assert.Equal(t, want, len(charts), "chart containers on the page")
			assert.Equal(t, want, state.Charts, "charts in the page's data")
			assert.Equal(t, want, state.Rendered, "charts drawn")
			assert.Zero(t, state.Errors, "script errors the page counted")
			for _, c := range charts {
				t.Logf("  %-9s %-46s svg %d, %4d shapes, %2d series, %dx%d", c.ID, c.Key, c.SVGs, c.Shapes, c.Series, c.Width, c.Height)
				assert.Equal(t, 1, c.SVGs, "%s (%s): its SVG", c.ID, c.Key)
				assert.Greater(t, c.Shapes, 10, "%s (%s): shapes drawn", c.ID, c.Key)
				assert.Greater(t, c.Width, 300, "%s (%s): width", c.ID, c.Key)
				assert.Equal(t, c.Want, c.Series, "%s (%s): series drawn", c.ID, c.Key)
			}
			assert.Empty(t, problems, "errors in the browser's console")
		})
	}
}
