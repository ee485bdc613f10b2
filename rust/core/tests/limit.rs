//! LIMIT pushdown in split planning against a real ZooKeeper server: a limited plan is the prefix
//! of the table's record batches whose manifest row counts reach the limit, and scanning it reads
//! the table's first rows.

mod support;

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::ipc::writer::FileWriter;
use support::ZooKeeperServer;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::plan::pruning::{ColumnDomain, Range};
use zkarrow_core::plan::splits::Split;
use zkarrow_core::runtime::block_on;

/// Writes `batches` record batches of `rows` rows of one column `id`, counting from `first_id`.
fn write_file(path: &Path, batches: usize, rows: usize, first_id: i64) {
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false)]));
    let mut writer = FileWriter::try_new(std::fs::File::create(path).unwrap(), &schema).unwrap();
    for b in 0..batches {
        let start = first_id + (b * rows) as i64;
        let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(start..start + rows as i64));
        writer
            .write(&RecordBatch::try_new(schema.clone(), vec![ids]).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
}

/// A table `s.t` of three files: 3 batches of 100 rows, 2 of 100, 1 of 50 (550 rows, ids 0..550).
fn table(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    let cat = support::open_catalog(zk, "/zkarrow/limit", warehouse, serde_json::json!({}));
    block_on(cat.create_schema("s")).unwrap();
    let dir = warehouse.join("t");
    std::fs::create_dir(&dir).unwrap();
    write_file(&dir.join("a.arrow"), 3, 100, 0);
    write_file(&dir.join("b.arrow"), 2, 100, 300);
    write_file(&dir.join("c.arrow"), 1, 50, 500);
    block_on(cat.register_table("s", "t", dir.to_str().unwrap())).unwrap();
    cat
}

fn plan(
    cat: &Catalog,
    domains: &[ColumnDomain],
    target: Option<u64>,
    limit: Option<u64>,
) -> Vec<Split> {
    block_on(cat.plan_splits_up_to("s", "t", None, None, domains, target, limit)).unwrap()
}

/// `(file, batch, rows)` of every record batch the splits read, in order.
fn batches(splits: &[Split], per_batch: &[Split]) -> Vec<(String, usize, u64)> {
    let mut out = Vec::new();
    for split in splits {
        for i in split.batch_start..split.batch_end {
            let rows = per_batch
                .iter()
                .find(|b| b.path == split.path && b.batch_start == i)
                .expect("a batch of the table")
                .rows;
            out.push((split.path.clone(), i, rows));
        }
    }
    out
}

/// The ids the splits read, in order.
fn read_ids(splits: &[Split]) -> Vec<i64> {
    support::read_int64(splits, "id").unwrap()
}

#[test]
fn a_limited_plan_is_the_prefix_of_batches_that_reaches_the_limit() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = table(&zk, wh.path());
    // one split per batch: the table's batches in planning order
    let per_batch = plan(&cat, &[], Some(1), None);
    assert_eq!(per_batch.len(), 6);
    let all = plan(&cat, &[], None, None);
    let all_batches = batches(&all, &per_batch);
    assert_eq!(
        all.len(),
        3,
        "one split per file at the default target size"
    );

    for limit in [
        1u64, 10, 99, 100, 101, 250, 300, 301, 350, 500, 549, 550, 551, 10_000,
    ] {
        let limited = plan(&cat, &[], None, Some(limit));
        let read = batches(&limited, &per_batch);
        // the oracle: the leading batches until their rows reach the limit
        let mut expected = Vec::new();
        let mut rows = 0;
        for batch in &all_batches {
            if rows >= limit {
                break;
            }
            rows += batch.2;
            expected.push(batch.clone());
        }
        assert_eq!(read, expected, "LIMIT {limit}");
        for split in &limited {
            let batch_rows: u64 = read
                .iter()
                .filter(|b| {
                    b.0 == split.path && (split.batch_start..split.batch_end).contains(&b.1)
                })
                .map(|b| b.2)
                .sum();
            assert_eq!(
                split.rows, batch_rows,
                "LIMIT {limit}: a split's rows are its batches'"
            );
        }
        let ids = read_ids(&limited);
        let wanted = limit.min(550) as usize;
        assert!(
            ids.len() >= wanted,
            "LIMIT {limit}: read {} rows",
            ids.len()
        );
        assert!(
            ids.len() < wanted + 100,
            "LIMIT {limit}: at most one batch more than needed"
        );
        assert_eq!(
            ids[..wanted],
            (0..wanted as i64).collect::<Vec<_>>()[..],
            "LIMIT {limit}"
        );
    }

    // smaller than one batch: the first batch of the first file only, and a lighter split
    let ten = plan(&cat, &[], None, Some(10));
    assert_eq!(
        (ten.len(), ten[0].batch_start, ten[0].batch_end, ten[0].rows),
        (1, 0, 1, 100)
    );
    assert_eq!(ten[0].path, all[0].path);
    assert!(
        ten[0].bytes < all[0].bytes,
        "{} of {}",
        ten[0].bytes,
        all[0].bytes
    );
    // spanning files: all of the first file and the first batch of the second
    let spanning = plan(&cat, &[], None, Some(350));
    assert_eq!(spanning.len(), 2);
    assert_eq!((spanning[0].batch_end, spanning[1].batch_end), (3, 1));
    assert_eq!(spanning[1].path, all[1].path);
    // more than the table: every split, as without a limit
    assert_eq!(plan(&cat, &[], None, Some(1_000_000)), all);
    assert_eq!(plan(&cat, &[], None, Some(u64::MAX)), all);
    // LIMIT 0 reads nothing
    assert!(plan(&cat, &[], None, Some(0)).is_empty());
    // with small splits the limit keeps only the splits it needs
    assert_eq!(plan(&cat, &[], Some(1), Some(150)), per_batch[..2].to_vec());
}

#[test]
fn a_limit_under_a_predicate_is_not_applied() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = table(&zk, wh.path());
    // ids >= 250: a.arrow may match, but only its last 50 rows do; a limit cannot count them
    let domain = ColumnDomain {
        column_id: 1,
        null_allowed: false,
        ranges: vec![Range {
            low: Some(serde_json::json!(250)),
            low_inclusive: true,
            high: None,
            high_inclusive: false,
        }],
    };
    let domains = [domain];
    let filtered = plan(&cat, &domains, None, None);
    assert!(filtered.len() >= 2, "{filtered:?}");
    assert_eq!(plan(&cat, &domains, None, Some(10)), filtered);
    let ids = read_ids(&filtered);
    assert!(ids.contains(&250) && ids.contains(&549));
}
