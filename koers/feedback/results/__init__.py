"""The feedback results: NPS and the other measures with their intervals, by channel, moment
and period, as pages, charts and an Excel workbook."""
