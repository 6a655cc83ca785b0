//! A table of the document tree → a Word table with real merged cells.
//!
//! Which cells merge, and how wide each column is, the tree decided for both writers
//! ([`crate::document::table`]): an empty header cell joins the one to its left
//! (`w:gridSpan`), a leading run of empty body cells joins the cells above (`w:vMerge` restart /
//! continue); the columns share the type area's width in the proportions the PDF gives them.
//! Word repeats the header row on every page (`w:tblHeader`, added in [`super::package`]); it
//! cannot repeat a merged cell's label, marked （续）, at the top of the next page as the PDF does.

use docx_rs::{
    AlignmentType, BorderType, Paragraph, Run, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, VMergeType,
    WidthType,
};

use super::runs::Runs;
use crate::document::FACES;
use crate::document::table::{Place, Table as TreeTable};

/// The Word table of `table`: fixed layout at `width` twips (the type area's), columns balanced
/// as in the PDF, 0.5 pt rules, 4号 仿宋 text (the header row in 黑体, centred), cells centred
/// vertically.
pub(crate) fn build(table: &TreeTable, runs: &Runs, width: i32) -> Table {
    let n = table.column_count().max(1);
    let total: f64 = table.columns.iter().map(|c| c.width).sum::<f64>().max(1.0);
    let mut grid: Vec<usize> = table
        .columns
        .iter()
        .map(|c| (f64::from(width) * c.width / total).floor() as usize)
        .collect();
    grid.resize(n, 0);
    // The rounding's remainder goes to the last column, so the table is exactly as wide as
    // the type area.
    let used: usize = grid.iter().sum();
    if let Some(last) = grid.last_mut() {
        *last += (width as usize).saturating_sub(used);
    }
    let centred: Vec<bool> = (0..n)
        .map(|c| table.columns.get(c).is_some_and(|column| column.centred))
        .collect();
    let span_width = |from: usize, cols: usize| grid[from..(from + cols).min(n)].iter().sum();

    let mut rows = Vec::new();
    // The header: empty cells join the one to their left.
    let mut head_cells = Vec::new();
    let mut c = 0;
    for (cell, place) in table.head.iter().zip(&table.header_places) {
        if let Place::Span { cols, .. } = *place {
            let cell_runs = runs
                .of(&cell.inlines)
                .into_iter()
                .map(|r| r.fonts(runs.fonts.face(FACES.table_header).run_fonts()))
                .collect();
            head_cells.push(
                cell_of(cell_runs, AlignmentType::Center, span_width(c, cols)).grid_span(cols),
            );
            c += cols;
        }
    }
    // Kept whole, and so repeated on every page (see `super::package`).
    rows.push(TableRow::new(head_cells).cant_split());
    // The body: a leading run of empty cells joins the cells above.
    for (row, row_places) in table.rows.iter().zip(&table.body_places) {
        let mut out = Vec::new();
        for (c, &place) in row_places.iter().enumerate() {
            let cell_runs = row
                .get(c)
                .map(|cell| runs.of(&cell.inlines))
                .unwrap_or_default();
            let align = if centred[c] {
                AlignmentType::Center
            } else {
                AlignmentType::Left
            };
            let word = cell_of(cell_runs, align, grid[c]);
            out.push(match place {
                Place::Covered => word.vertical_merge(VMergeType::Continue),
                Place::Span { rows, .. } if rows > 1 => word.vertical_merge(VMergeType::Restart),
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
        .width(width as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders)
        // The PDF's cell inset is 0.35 em above and below the text and 0.3 em beside it
        // (98 / 84 twips), its lines 1.45 em apart; an exact line of that pitch already
        // holds the 0.45 em of leading, so above and below go only what is left of the
        // inset: a row as high as the PDF's, which keeps the page breaks where it has them.
        .margins(TableCellMargins::new().margin(35, 84, 35, 84))
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
