package io.zkarrow.bench.heap;

import com.facebook.presto.common.Page;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.SchemaTableName;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One table: its columns and its pages, in the order the writes published them. The page list only
 * grows (a new list replaces the old one under the store's lock), so a split's page range taken
 * from one snapshot stays valid.
 */
final class HeapTable {
    private final long id;
    private final SchemaTableName name;
    private final List<ColumnMetadata> columns;
    private volatile List<Page> pages = Collections.emptyList();
    private volatile long rowCount;

    HeapTable(long id, SchemaTableName name, List<ColumnMetadata> columns) {
        this.id = id;
        this.name = name;
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    }

    long id() {
        return id;
    }

    SchemaTableName name() {
        return name;
    }

    List<ColumnMetadata> columns() {
        return columns;
    }

    /** The published pages (an unmodifiable snapshot). */
    List<Page> pages() {
        return pages;
    }

    long rowCount() {
        return rowCount;
    }

    /** Appends pages; called by {@link HeapStore} under its lock. */
    void append(List<Page> added) {
        List<Page> next = new ArrayList<>(pages.size() + added.size());
        next.addAll(pages);
        next.addAll(added);
        long rows = rowCount;
        for (Page page : added) {
            rows += page.getPositionCount();
        }
        pages = Collections.unmodifiableList(next);
        rowCount = rows;
    }
}
