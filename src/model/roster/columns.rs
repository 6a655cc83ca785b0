//! Which columns a 责任清单 has: by person (姓名 | 职务 | 工作职责, as in the examples) or by post
//! or department (序号 | 岗位 | 安全工作职责, 科室 | 职责), either with the extra columns offices
//! add after the duty (责任依据, 追责情形).
//!
//! A sheet is a list by post when it has a post column (岗位, 科室, 部门 …) and no 姓名: then
//! 职务 is optional. The printed headers are the sheet's own (an office prints 安全工作职责 where
//! another prints 工作职责), in a fixed order — 序号, the holder, 职务, the duty, the extras — so
//! the group cells come first and merge down their rows as a leader's name does.

use crate::inputs::columns::{ColumnMap, ColumnSpec, fold_header};
use crate::inputs::sheet::Sheet;

/// The columns of a list by person; a blank sheet to fill in has these
/// ([`crate::blank_sheets`]).
pub(crate) const COLUMNS: &[ColumnSpec] = &[NAME_SPEC, TITLE_REQUIRED, DUTY_SPEC];

const NUMBER_SPEC: ColumnSpec = ColumnSpec {
    name: "序号",
    aliases: &["编号", "序", "no", "no.", "number"],
    required: false,
};
const NAME_SPEC: ColumnSpec = ColumnSpec {
    name: "姓名",
    aliases: &["name", "领导", "领导姓名"],
    required: true,
};
/// The holders of a list by post or department.
const POST_SPEC: ColumnSpec = ColumnSpec {
    name: "岗位",
    aliases: POST_NAMES,
    required: true,
};
const POST_NAMES: &[&str] = &[
    "post",
    "department",
    "岗位名称",
    "责任岗位",
    "工作岗位",
    "科室",
    "科室名称",
    "责任科室",
    "部门",
    "部门名称",
    "责任部门",
    "处室",
    "股室",
    "单位",
    "责任单位",
    "责任主体",
];
const TITLE_REQUIRED: ColumnSpec = ColumnSpec {
    name: "职务",
    aliases: &["title", "position"],
    required: true,
};
const TITLE_OPTIONAL: ColumnSpec = ColumnSpec {
    required: false,
    ..TITLE_REQUIRED
};
const DUTY_SPEC: ColumnSpec = ColumnSpec {
    name: "工作职责",
    aliases: &[
        "职责",
        "duty",
        "duties",
        "安全生产职责",
        "安全工作职责",
        "安全职责",
        "岗位职责",
        "主要职责",
        "职责内容",
        "责任内容",
        "责任事项",
    ],
    required: true,
};
/// The extra columns, printed after the duty, one text per duty.
const EXTRA_SPECS: [ColumnSpec; 2] = [
    ColumnSpec {
        name: "责任依据",
        aliases: &[
            "依据",
            "履职依据",
            "职责依据",
            "设定依据",
            "法律依据",
            "政策依据",
            "basis",
        ],
        required: false,
    },
    ColumnSpec {
        name: "追责情形",
        aliases: &[
            "问责情形",
            "追责问责情形",
            "责任追究情形",
            "责任追究",
            "追责事项",
            "accountability",
        ],
        required: false,
    },
];

/// The spec positions in [`specs`]' lists.
pub(crate) const NUMBER: usize = 0;
pub(crate) const HOLDER: usize = 1;
pub(crate) const TITLE: usize = 2;
pub(crate) const DUTY: usize = 3;
pub(crate) const EXTRA: usize = 4;

/// The column specs to map `sheet` with, in the order of the positions above: a list by post
/// when the sheet has a post column and no 姓名.
pub(crate) fn specs(sheet: &Sheet) -> (bool, Vec<ColumnSpec>) {
    let has = |spec: &ColumnSpec| {
        let names: Vec<String> = std::iter::once(spec.name)
            .chain(spec.aliases.iter().copied())
            .map(fold_header)
            .collect();
        sheet
            .headers
            .iter()
            .any(|h| names.contains(&fold_header(h)))
    };
    let by_post = !has(&NAME_SPEC) && has(&POST_SPEC);
    let (holder, title) = if by_post {
        (POST_SPEC, TITLE_OPTIONAL)
    } else {
        (NAME_SPEC, TITLE_REQUIRED)
    };
    let mut specs = vec![NUMBER_SPEC, holder, title, DUTY_SPEC];
    specs.extend(EXTRA_SPECS);
    (by_post, specs)
}

/// A list's columns as printed: each header as the sheet writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ListColumns {
    /// The list is kept by post or department (岗位, 科室 …), not by named leader.
    pub(crate) by_post: bool,
    /// 序号, when the sheet has it: the holders are numbered 1, 2, 3 … in it.
    pub(crate) number: Option<String>,
    /// 姓名, 岗位, 科室 …
    pub(crate) holder: String,
    /// 职务, when the sheet has it (always for a list by person).
    pub(crate) title: Option<String>,
    /// 工作职责, 安全工作职责, 职责 …
    pub(crate) duty: String,
    /// 责任依据, 追责情形, in this order, those the sheet has.
    pub(crate) extra: Vec<String>,
}

impl ListColumns {
    /// The printed columns of a sheet mapped with [`specs`].
    pub(super) fn of(sheet: &Sheet, by_post: bool, specs: &[ColumnSpec], map: &ColumnMap) -> Self {
        // The sheet's header when it is another Chinese name (安全工作职责), else the column's
        // own name: for an English alias, and for the name spaced or in full-width letters
        // (` 职 务 ` prints 职务, as it always did).
        let header = |i: usize| {
            map.position(i).map(|p| {
                let written = sheet.headers[p].trim();
                if written.is_ascii() || fold_header(written) == fold_header(specs[i].name) {
                    specs[i].name.to_owned()
                } else {
                    written.to_owned()
                }
            })
        };
        Self {
            by_post,
            number: header(NUMBER),
            holder: header(HOLDER).unwrap_or_else(|| specs[HOLDER].name.to_owned()),
            title: header(TITLE),
            duty: header(DUTY).unwrap_or_else(|| specs[DUTY].name.to_owned()),
            extra: (EXTRA..specs.len()).filter_map(header).collect(),
        }
    }

    /// The spec positions of the extra columns the sheet has, in printed order.
    pub(super) fn extra_positions(specs: &[ColumnSpec], map: &ColumnMap) -> Vec<usize> {
        (EXTRA..specs.len())
            .filter(|&i| map.position(i).is_some())
            .collect()
    }

    /// Every printed header, in order.
    pub(crate) fn headers(&self) -> Vec<String> {
        let mut headers: Vec<String> = self.number.iter().cloned().collect();
        headers.push(self.holder.clone());
        headers.extend(self.title.iter().cloned());
        headers.push(self.duty.clone());
        headers.extend(self.extra.iter().cloned());
        headers
    }

    /// What one holder is called in messages: 领导 for a list by person, else the column's name.
    pub(crate) fn holder_noun(&self) -> (&str, &str) {
        if self.by_post {
            (self.holder.as_str(), "post")
        } else {
            ("领导", "leader")
        }
    }
}
