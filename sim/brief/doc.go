// Package brief turns what paysim wrote (summary.json of a run, compare.json
// of a comparison) into what a county shows and checks: a self-contained
// HTML report with charts (WriteHTML) and an Excel workbook (WriteWorkbook),
// in Chinese or English from one message catalogue. It reads summaries
// only; it never runs a scenario.
package brief
