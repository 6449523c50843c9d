package brief

import (
	"fmt"
	"math"
	"strconv"
)

// A chart is one chart of the report: its ECharts option, built here from
// the summaries, and how the page formats its numbers.
type chart struct {
	ID     string `json:"id"`
	Key    string `json:"key"` // what it plots, as the catalogue names it (fund, budget, ce_plane, …)
	Title  string `json:"title"`
	Note   string `json:"note"`   // the figures it plots, in words
	Height int    `json:"height"` // [px]
	Option obj    `json:"option"`
	// Formats are the formats of each series' values in the tooltip, by
	// series index: pct (a share shown in %), n0…n3 (decimals); "" leaves
	// the series out of the tooltip (the bands of an interval).
	Formats []string `json:"formats"`
	// AxisFormats and XFormats are the formats of the value axes' labels,
	// by index.
	AxisFormats []string `json:"axisFormats,omitempty"`
	XFormats    []string `json:"xFormats,omitempty"`
	// XOffset is added to the x axis's values in its labels: a tornado
	// plots differences to its base value and labels the outcome itself.
	XOffset float64 `json:"xOffset,omitempty"`
	// Tooltip is "item" for a chart whose points carry their own tooltip
	// text (tip); the others show every series at the pointed year.
	Tooltip string `json:"tooltip"`
}

// obj is a JSON object of an ECharts option.
type obj = map[string]any

// palette is ECharts' default palette, named here so that an interval's
// band takes its series' colour.
var palette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

func color(i int) string { return palette[i%len(palette)] }

// Colours of the reference lines: a warning, and a target.
const (
	warnColor   = "#c23531"
	targetColor = "#2f4554"
)

// val is x as a JSON number, or null when it is not finite.
func val(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// opt is *x as a JSON number, or null.
func opt(x *float64) any {
	if x == nil {
		return nil
	}
	return val(*x)
}

// withHalf is a point with the half-width of its 95% interval, which the
// tooltip shows as ± half.
func withHalf(x, half any) any {
	if x == nil {
		return nil
	}
	if half == nil {
		return obj{"value": x}
	}
	return obj{"value": x, "half": half}
}

func bar(name string, data []any, c int) obj {
	return obj{"name": name, "type": "bar", "data": data, "itemStyle": obj{"color": color(c)}}
}

func line(name string, data []any, c int) obj {
	return obj{"name": name, "type": "line", "data": data, "itemStyle": obj{"color": color(c)}, "lineStyle": obj{"color": color(c)}}
}

// band is the two series that draw an interval [lo, hi] as a shaded area:
// an invisible line at lo and the difference hi − lo stacked on it. They
// take the name of the series they belong to, so that the legend shows and
// hides them with it.
func band(name string, lo, hi []any, c int, axes ...int) []obj {
	diff := make([]any, len(lo))
	for i := range lo {
		l, lok := lo[i].(float64)
		h, hok := hi[i].(float64)
		if lok && hok {
			diff[i] = h - l
		}
	}
	stack := fmt.Sprintf("band-%s-%d-%v", name, c, axes) // a band of its own on each pair of axes
	base := func(data []any) obj {
		s := obj{"name": name, "type": "line", "data": data, "stack": stack, "stackStrategy": "all", "symbol": "none",
			"silent": true, "lineStyle": obj{"opacity": 0}, "itemStyle": obj{"color": color(c)}, "z": 1}
		if len(axes) == 2 {
			s["xAxisIndex"], s["yAxisIndex"] = axes[0], axes[1]
		}
		return s
	}
	upper := base(diff)
	upper["areaStyle"] = obj{"color": color(c), "opacity": 0.18}
	return []obj{base(lo), upper}
}

// refLine marks a horizontal reference line (a target, a warning level) on
// a series.
func refLine(s obj, color string, lines ...obj) {
	s["markLine"] = obj{"silent": true, "symbol": "none", "data": lines,
		"lineStyle": obj{"type": "dashed", "color": color, "width": 1.5},
		"label":     obj{"position": "insideEndTop", "color": color}}
}

func at(y float64, label string) obj {
	return obj{"yAxis": y, "label": obj{"formatter": label}}
}

func category(names []string) obj { return obj{"type": "category", "data": names} }

func valueAxis(name string) obj {
	return obj{"type": "value", "name": name, "nameTextStyle": obj{"align": "left"}, "scale": false}
}

// legendOf lists the names of the series once each, in order.
func legendOf(series []obj) obj {
	var names []string
	seen := map[string]bool{}
	for _, s := range series {
		n, _ := s["name"].(string)
		if !seen[n] {
			names = append(names, n)
			seen[n] = true
		}
	}
	return obj{"data": names, "top": 0, "type": "scroll"}
}

// axisChart is the option of a chart over categories (years, tiers) with
// one or two value axes.
func axisChart(x []string, y []obj, series []obj) obj {
	yAxis := make([]any, len(y))
	for i := range y {
		yAxis[i] = y[i]
	}
	s := make([]any, len(series))
	for i := range series {
		s[i] = series[i]
	}
	return obj{
		"legend":  legendOf(series),
		"grid":    obj{"left": 64, "right": 64, "top": 56, "bottom": 40},
		"xAxis":   category(x),
		"yAxis":   yAxis,
		"series":  s,
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 22},
	}
}

// panels lays out n small charts in cols columns: their grids and their
// titles, as ECharts option lists.
func panels(titles []string, cols int) (grids, heads []any) {
	rows := (len(titles) + cols - 1) / cols
	w, h := 100.0/float64(cols), 100.0/float64(rows)
	pct := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) + "%" }
	for i, t := range titles {
		r, c := i/cols, i%cols
		grids = append(grids, obj{"left": pct(float64(c)*w + 5), "width": pct(w - 10), "top": pct(float64(r)*h + 9), "height": pct(h - 20)})
		heads = append(heads, obj{"text": t, "left": pct(float64(c)*w + 2), "top": pct(float64(r) * h), "textStyle": obj{"fontSize": 12, "fontWeight": "normal"}})
	}
	return grids, heads
}

// yearNames are a summary's or a comparison's years as category names.
func yearNames(years []int) []string {
	out := make([]string, len(years))
	for i, y := range years {
		out[i] = strconv.Itoa(y)
	}
	return out
}

// chartID numbers the charts of a page.
type chartID int

func (n *chartID) next() string {
	*n++
	return fmt.Sprintf("chart-%d", int(*n))
}
