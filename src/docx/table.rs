//! GFM tables → Word tables with real merged cells.
//!
//! Which cells merge, and how wide each column is, is decided once for both writers by
//! [`crate::typst_markup::table::TableBuilder`]: an empty header cell joins the one to its left
//! (`w:gridSpan`), a leading run of empty body cells joins the cells above (`w:vMerge` restart /
//! continue). Word repeats the header row on every page (`w:tblHeader`, added in
//! [`super::package`]); it cannot repeat a merged cell's label, marked （续）, at the top of the
//! next page as the PDF does.

use docx_rs::{
    AlignmentType, BorderType, Paragraph, Run, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, VMergeType,
    WidthType,
};

use super::DocxFonts;
use crate::typst_markup::table::{Cell, Place, TableBuilder};

/// One cell being collected: its runs (line breaks included) and its plain text.
#[derive(Debug, Default)]
struct DocxCell {
    runs: Vec<Run>,
    plain: String,
}

/// A table being collected from Markdown events.
#[derive(Debug)]
pub(crate) struct DocxTable {
    /// The type area's width, in twips.
    width: i32,
    head: Vec<DocxCell>,
    rows: Vec<Vec<DocxCell>>,
    cell: Option<DocxCell>,
    in_head: bool,
}

impl DocxTable {
    pub(crate) fn new(width: i32) -> Self {
        Self {
            width,
            head: Vec::new(),
            rows: Vec::new(),
            cell: None,
            in_head: false,
        }
    }

    pub(crate) fn start_head(&mut self) {
        self.in_head = true;
    }

    pub(crate) fn end_head(&mut self) {
        self.in_head = false;
    }

    pub(crate) fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    pub(crate) fn start_cell(&mut self) {
        self.cell = Some(DocxCell::default());
    }

    pub(crate) fn end_cell(&mut self) {
        let cell = self.cell.take().unwrap_or_default();
        if self.in_head {
            self.head.push(cell);
        } else if let Some(row) = self.rows.last_mut() {
            row.push(cell);
        }
    }

    pub(crate) fn push_run(&mut self, run: Run, text: &str) {
        if let Some(cell) = &mut self.cell {
            cell.runs.push(run);
            cell.plain.push_str(text);
        }
    }

    pub(crate) fn push_break(&mut self, run: Run) {
        if let Some(cell) = &mut self.cell {
            cell.runs.push(run);
            cell.plain.push('\n');
        }
    }

    pub(crate) fn last_char(&self) -> Option<char> {
        self.cell.as_ref().and_then(|c| c.plain.chars().last())
    }

    /// The shared model of merges and widths.
    fn model(&self) -> TableBuilder {
        let plain = |c: &DocxCell| Cell {
            markup: String::new(),
            plain: c.plain.clone(),
        };
        TableBuilder {
            head: self.head.iter().map(plain).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| r.iter().map(plain).collect())
                .collect(),
            // Table text is 4号: the width in em of 14 pt.
            width_em: f64::from(self.width) / 280.0,
            index: 0,
        }
    }

    /// The Word table: fixed layout at the type area's width, columns balanced as in the PDF,
    /// 0.5 pt rules, 4号 仿宋 text (the header row in 黑体, centred), cells centred vertically.
    pub(crate) fn build(self, fonts: &DocxFonts) -> Table {
        let model = self.model();
        let n = model.columns().max(1);
        let widths = model.column_widths();
        let total: f64 = widths.iter().map(|(w, _)| w).sum::<f64>().max(1.0);
        let mut grid: Vec<usize> = widths
            .iter()
            .map(|(w, _)| (f64::from(self.width) * w / total).floor() as usize)
            .collect();
        grid.resize(n, 0);
        // The rounding's remainder goes to the last column, so the table is exactly as wide as
        // the type area.
        let used: usize = grid.iter().sum();
        if let Some(last) = grid.last_mut() {
            *last += (self.width as usize).saturating_sub(used);
        }
        let centred: Vec<bool> = (0..n)
            .map(|c| widths.get(c).is_some_and(|(_, short)| *short))
            .collect();
        let span_width = |from: usize, cols: usize| grid[from..(from + cols).min(n)].iter().sum();

        let mut rows = Vec::new();
        // The header: empty cells join the one to their left.
        let mut head_cells = Vec::new();
        let mut head = self.head.into_iter();
        let mut c = 0;
        for place in model.header_places() {
            let cell = head.next().unwrap_or_default();
            if let Place::Span { cols, .. } = place {
                let runs = cell
                    .runs
                    .into_iter()
                    .map(|r| r.fonts(fonts.heiti.run_fonts()))
                    .collect();
                head_cells.push(
                    cell_of(runs, AlignmentType::Center, span_width(c, cols)).grid_span(cols),
                );
                c += cols;
            }
        }
        // Kept whole, and so repeated on every page (see `super::package`).
        rows.push(TableRow::new(head_cells).cant_split());
        // The body: a leading run of empty cells joins the cells above.
        let places = model.body_places();
        for (row, row_places) in self.rows.into_iter().zip(places) {
            let mut cells = row.into_iter();
            let mut out = Vec::new();
            for (c, place) in row_places.into_iter().enumerate() {
                let cell = cells.next().unwrap_or_default();
                let align = if centred[c] {
                    AlignmentType::Center
                } else {
                    AlignmentType::Left
                };
                let word = cell_of(cell.runs, align, grid[c]);
                out.push(match place {
                    Place::Covered => word.vertical_merge(VMergeType::Continue),
                    Place::Span { rows, .. } if rows > 1 => {
                        word.vertical_merge(VMergeType::Restart)
                    }
                    Place::Span { .. } => word,
                });
            }
            rows.push(TableRow::new(out));
        }
        let rule = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000")
        };
        let borders = [
            TableBorderPosition::Top,
            TableBorderPosition::Bottom,
            TableBorderPosition::Left,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ]
        .into_iter()
        .fold(TableBorders::new(), |b, p| b.set(rule(p)));
        Table::new(rows)
            .set_grid(grid)
            .width(self.width as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders)
            // The PDF's cell inset is 0.35 em above and below the text and 0.3 em beside it
            // (98 / 84 twips), its lines 1.45 em apart; an exact line of that pitch already
            // holds the 0.45 em of leading, so above and below go only what is left of the
            // inset: a row as high as the PDF's, which keeps the page breaks where it has them.
            .margins(TableCellMargins::new().margin(35, 84, 35, 84))
    }
}

/// One Word cell holding `runs` in one paragraph of table text.
fn cell_of(runs: Vec<Run>, align: AlignmentType, width: usize) -> TableCell {
    let paragraph = runs
        .into_iter()
        .fold(Paragraph::new().style("TableText").align(align), |p, r| {
            p.add_run(r)
        });
    TableCell::new()
        .add_paragraph(paragraph)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}
