package io.zkarrow.presto.handle;

import java.util.List;

/**
 * A handle compared by value: two handles of one class are equal when their {@link #identity()}
 * fields are (null-safe, in order), and hash as {@code Objects.hash} of those fields.
 */
abstract class ValueHandle {
    /** The fields that make the handle what it is, in a fixed order. */
    abstract List<Object> identity();

    @Override
    public final boolean equals(Object o) {
        return this == o
                || (o != null
                        && getClass() == o.getClass()
                        && identity().equals(((ValueHandle) o).identity()));
    }

    @Override
    public final int hashCode() {
        return identity().hashCode();
    }
}
