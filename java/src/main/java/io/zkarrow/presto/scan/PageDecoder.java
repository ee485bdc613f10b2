package io.zkarrow.presto.scan;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;

import com.facebook.presto.common.block.ArrayBlock;
import com.facebook.presto.common.block.Block;
import com.facebook.presto.common.block.ByteArrayBlock;
import com.facebook.presto.common.block.DictionaryBlock;
import com.facebook.presto.common.block.Int128ArrayBlock;
import com.facebook.presto.common.block.IntArrayBlock;
import com.facebook.presto.common.block.LongArrayBlock;
import com.facebook.presto.common.block.RowBlock;
import com.facebook.presto.common.block.ShortArrayBlock;
import com.facebook.presto.common.block.VariableWidthBlock;
import com.facebook.presto.common.type.ArrayType;
import com.facebook.presto.common.type.MapType;
import com.facebook.presto.common.type.RowType;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.PrestoException;

import io.airlift.slice.Slices;

import java.util.List;
import java.util.Optional;

/**
 * Turns the columns of {@code NativeReader.column} (PROTOCOL.md) into Presto blocks. Every block is
 * built directly over the arrays the native side filled: no value is copied again, no BlockBuilder
 * is used.
 */
public final class PageDecoder {
    public static final int BYTE = 1;
    public static final int SHORT = 2;
    public static final int INT = 3;
    public static final int LONG = 4;
    public static final int INT128 = 5;
    public static final int VARWIDTH = 6;
    public static final int DICTIONARY = 7;
    public static final int ARRAY = 8;
    public static final int MAP = 9;
    public static final int ROW = 10;

    private PageDecoder() {}

    /**
     * Column {@code index} of a page of {@code positionCount} rows, as {@code NativeReader.column}
     * returns it.
     */
    public static Block decodeColumn(Object[] column, Type type, int positionCount, int index) {
        try {
            Block block = decodeBlock(column, type);
            if (block.getPositionCount() != positionCount) {
                throw malformed(
                        "column "
                                + index
                                + " has "
                                + block.getPositionCount()
                                + " positions in a page of "
                                + positionCount);
            }
            return block;
        } catch (ClassCastException
                | IndexOutOfBoundsException
                | NullPointerException
                | IllegalArgumentException e) {
            throw malformed(e.toString(), e);
        }
    }

    public static Block decodeBlock(Object[] column, Type type) {
        int[] header = (int[]) column[0];
        int kind = header[0];
        int positions = header[1];
        Optional<boolean[]> nulls = Optional.ofNullable((boolean[]) column[1]);
        switch (kind) {
            case BYTE:
                return new ByteArrayBlock(positions, nulls, (byte[]) column[2]);
            case SHORT:
                return new ShortArrayBlock(positions, nulls, (short[]) column[2]);
            case INT:
                return new IntArrayBlock(positions, nulls, (int[]) column[2]);
            case LONG:
                return new LongArrayBlock(positions, nulls, (long[]) column[2]);
            case INT128:
                return new Int128ArrayBlock(positions, nulls, (long[]) column[2]);
            case VARWIDTH:
                {
                    byte[] data = (byte[]) column[3];
                    return new VariableWidthBlock(
                            positions, Slices.wrappedBuffer(data), (int[]) column[2], nulls);
                }
            case DICTIONARY:
                {
                    Block dictionary = decodeBlock((Object[]) column[3], type);
                    return new DictionaryBlock(positions, dictionary, (int[]) column[2]);
                }
            case ARRAY:
                {
                    Type elementType = ((ArrayType) type).getElementType();
                    return ArrayBlock.fromElementBlock(
                            positions,
                            nulls,
                            (int[]) column[2],
                            decodeBlock((Object[]) column[3], elementType));
                }
            case MAP:
                {
                    MapType mapType = (MapType) type;
                    Block keys = decodeBlock((Object[]) column[3], mapType.getKeyType());
                    Block values = decodeBlock((Object[]) column[4], mapType.getValueType());
                    return mapType.createBlockFromKeyValue(
                            positions, nulls, (int[]) column[2], keys, values);
                }
            case ROW:
                {
                    List<Type> fieldTypes = ((RowType) type).getTypeParameters();
                    Object[] fields = (Object[]) column[2];
                    if (fields.length != fieldTypes.size()) {
                        throw malformed("a row of " + fields.length + " fields for type " + type);
                    }
                    Block[] fieldBlocks = new Block[fields.length];
                    for (int i = 0; i < fields.length; i++) {
                        fieldBlocks[i] = decodeBlock((Object[]) fields[i], fieldTypes.get(i));
                    }
                    return RowBlock.fromFieldBlocks(positions, nulls, fieldBlocks);
                }
            default:
                throw malformed("unknown column kind " + kind + " for type " + type);
        }
    }

    private static PrestoException malformed(String what) {
        return new PrestoException(INTERNAL, "Malformed page from the native reader: " + what);
    }

    private static PrestoException malformed(String what, Throwable cause) {
        return new PrestoException(
                INTERNAL, "Malformed page from the native reader: " + what, cause);
    }
}
