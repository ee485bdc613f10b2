//! Arrays, maps and rows. Null arrays and maps hold no entries and row fields hold only the rows
//! where the row is not null, so a null position that owns child entries costs a filter.

use std::borrow::Cow;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use arrow::compute::filter;
use arrow::datatypes::DataType;

use super::binary::{offsets_window, rebase_i32, rebase_i64};
use super::{convert, to_presto, unsupported, valid_window};
use crate::err;
use crate::error::Result;
use crate::presto::layout::{PrestoColumn, PrestoValues};

/// Values of a list, map or struct array.
pub(super) fn values<'a>(
    array: &'a dyn Array,
    start: usize,
    len: usize,
    nulls: Option<&[bool]>,
) -> Result<PrestoValues<'a>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    Ok(match array.data_type() {
        DataType::List(_) => {
            let a = array.as_list::<i32>();
            let w = offsets_window(a.value_offsets(), start, len)?;
            array_values(Borrowed(w), w[0] as usize, a.values().as_ref(), nulls)?
        }
        DataType::LargeList(_) => {
            let a = array.as_list::<i64>();
            let w = offsets_window(a.value_offsets(), start, len)?;
            let narrowed = rebase_i64(w)?;
            array_values(narrowed, w[0] as usize, a.values().as_ref(), nulls)?
        }
        DataType::FixedSizeList(_, _) => {
            let a = array.as_fixed_size_list();
            let size = a.value_length() as usize;
            if size.saturating_mul(len) > i32::MAX as usize {
                return Err(err!(
                    InvalidArgument,
                    "a fixed-size list array is too large"
                ));
            }
            let offsets = Owned((0..=len).map(|i| (i * size) as i32).collect());
            array_values(offsets, start * size, a.values().as_ref(), nulls)?
        }
        DataType::Map(_, _) => {
            let a = array.as_map();
            let w = offsets_window(a.value_offsets(), start, len)?;
            let (offsets, selection) = list_layout(Borrowed(w), w[0] as usize, nulls);
            let keys = select_child(a.keys().as_ref(), &selection)?;
            if keys.nulls.is_some() {
                return Err(err!(
                    InvalidArgument,
                    "a map has a null key; Presto map keys cannot be null"
                ));
            }
            let values = select_child(a.values().as_ref(), &selection)?;
            V::Map {
                offsets,
                keys: Box::new(keys),
                values: Box::new(values),
            }
        }
        DataType::Struct(fields) if !fields.is_empty() => {
            let a = array.as_struct();
            let selection = match valid_window(array, start, len) {
                None => ChildSelection::Window(start, len),
                Some(valid) => {
                    ChildSelection::Mask(BooleanArray::new(valid.into_inner(), None), start, len)
                }
            };
            let fields = a
                .columns()
                .iter()
                .map(|c| select_child(c.as_ref(), &selection))
                .collect::<Result<Vec<_>>>()?;
            V::Row { fields }
        }
        other => return Err(unsupported(other)),
    })
}

/// Which part of a child array a nested column keeps.
enum ChildSelection {
    /// The positions `start..start + len`, as they are.
    Window(usize, usize),
    /// The positions of `start..start + len` where the mask is true.
    Mask(BooleanArray, usize, usize),
}

fn select_child<'a>(child: &'a dyn Array, selection: &ChildSelection) -> Result<PrestoColumn<'a>> {
    match selection {
        ChildSelection::Window(start, len) => {
            if start + len > child.len() {
                return Err(err!(
                    ArrowError,
                    "offsets point past the end of the child array ({} > {})",
                    start + len,
                    child.len()
                ));
            }
            convert(child, *start, *len)
        }
        ChildSelection::Mask(mask, start, len) => {
            let sliced: ArrayRef = child.slice(*start, *len);
            let filtered = filter(sliced.as_ref(), mask)?;
            Ok(to_presto(filtered.as_ref())?.into_owned())
        }
    }
}

/// The Presto offsets of a list-like column and the part of the child its elements are.
/// `offsets` are the array's own offsets for the window (not rebased); null positions that own
/// elements lose them (Presto wants null arrays and maps to be empty).
fn list_layout<'a>(
    offsets: Cow<'a, [i32]>,
    child_start: usize,
    is_null: Option<&[bool]>,
) -> (Cow<'a, [i32]>, ChildSelection) {
    let len = offsets.len() - 1;
    let first = offsets[0];
    let span = (offsets[len] - first) as usize;
    let nonempty_null = is_null.is_some_and(|nulls| {
        nulls
            .iter()
            .zip(offsets.windows(2))
            .any(|(&null, w)| null && w[1] != w[0])
    });
    match is_null {
        Some(nulls) if nonempty_null => {
            let mut keep = vec![false; span];
            let mut new_offsets = Vec::with_capacity(len + 1);
            let mut total = 0i32;
            new_offsets.push(0);
            for (i, &null) in nulls.iter().enumerate() {
                let (a, b) = (
                    (offsets[i] - first) as usize,
                    (offsets[i + 1] - first) as usize,
                );
                if !null {
                    keep[a..b].iter_mut().for_each(|k| *k = true);
                    total += (b - a) as i32;
                }
                new_offsets.push(total);
            }
            (
                Cow::Owned(new_offsets),
                ChildSelection::Mask(BooleanArray::from(keep), child_start, span),
            )
        }
        _ => {
            let rebased = match offsets {
                Cow::Borrowed(b) => rebase_i32(b),
                Cow::Owned(o) if first == 0 => Cow::Owned(o),
                Cow::Owned(o) => Cow::Owned(o.iter().map(|&x| x - first).collect()),
            };
            (rebased, ChildSelection::Window(child_start, span))
        }
    }
}

fn array_values<'a>(
    offsets: Cow<'a, [i32]>,
    child_start: usize,
    child: &'a dyn Array,
    is_null: Option<&[bool]>,
) -> Result<PrestoValues<'a>> {
    let (offsets, selection) = list_layout(offsets, child_start, is_null);
    let elements = select_child(child, &selection)?;
    Ok(PrestoValues::Array {
        offsets,
        elements: Box::new(elements),
    })
}
