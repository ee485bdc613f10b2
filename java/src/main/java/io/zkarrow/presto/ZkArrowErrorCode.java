package io.zkarrow.presto;

import static com.facebook.presto.common.ErrorType.EXTERNAL;
import static com.facebook.presto.common.ErrorType.INTERNAL_ERROR;
import static com.facebook.presto.common.ErrorType.USER_ERROR;

import com.facebook.presto.common.ErrorCode;
import com.facebook.presto.common.ErrorType;
import com.facebook.presto.spi.ErrorCodeSupplier;
import com.facebook.presto.spi.PrestoException;

import io.zkarrow.presto.nativelib.ZkArrowNativeException;

/**
 * The zkarrow error codes: the same names as the codes of {@link ZkArrowNativeException}, the same
 * numbers and types as the native side's (tests/protocol/error_codes.json, checked by a test on
 * each side). {@link #toPrestoException} is the one place where a native error becomes a Presto
 * error.
 */
public enum ZkArrowErrorCode implements ErrorCodeSupplier {
    INVALID_CONFIG(0, USER_ERROR),
    ZOOKEEPER_UNAVAILABLE(1, EXTERNAL),
    ZOOKEEPER_ERROR(2, EXTERNAL),
    SCHEMA_NOT_FOUND(3, USER_ERROR),
    SCHEMA_EXISTS(4, USER_ERROR),
    SCHEMA_NOT_EMPTY(5, USER_ERROR),
    TABLE_NOT_FOUND(6, USER_ERROR),
    TABLE_EXISTS(7, USER_ERROR),
    INVALID_ARGUMENT(8, USER_ERROR),
    UNSUPPORTED_TYPE(9, USER_ERROR),
    SCHEMA_MISMATCH(10, USER_ERROR),
    IO_ERROR(11, EXTERNAL),
    ARROW_ERROR(12, INTERNAL_ERROR),
    CORRUPT_METADATA(13, INTERNAL_ERROR),
    NATIVE_PANIC(14, INTERNAL_ERROR),
    INTERNAL(15, INTERNAL_ERROR),
    SNAPSHOT_NOT_FOUND(16, USER_ERROR),
    COMMIT_CONFLICT(17, USER_ERROR),
    COMMIT_FENCED(18, EXTERNAL),
    LOCK_TIMEOUT(19, EXTERNAL),
    READ_ONLY(20, USER_ERROR),
    CORRUPT_FILE(21, EXTERNAL),
    LOCATION_NOT_ALLOWED(22, USER_ERROR),
    LOCATION_IN_USE(23, USER_ERROR);

    public static final int ERROR_CODE_OFFSET = 0x0512_0000;

    private final int number;
    private final ErrorCode errorCode;

    ZkArrowErrorCode(int number, ErrorType type) {
        this.number = number;
        errorCode = new ErrorCode(number + ERROR_CODE_OFFSET, "ZKARROW_" + name(), type);
    }

    /** The code's number, without {@link #ERROR_CODE_OFFSET}. */
    public int number() {
        return number;
    }

    @Override
    public ErrorCode toErrorCode() {
        return errorCode;
    }

    /** The code named by a native exception; an unknown name is {@link #INTERNAL}. */
    public static ZkArrowErrorCode fromNativeCode(String code) {
        if (code != null) {
            for (ZkArrowErrorCode value : values()) {
                if (value.name().equals(code)) {
                    return value;
                }
            }
        }
        return INTERNAL;
    }

    /**
     * The Presto error of a native error: its code by name (an unknown name is {@link #INTERNAL},
     * the name kept in the message). Every catch of a {@link ZkArrowNativeException} goes through
     * here.
     */
    public static PrestoException toPrestoException(ZkArrowNativeException e) {
        ZkArrowErrorCode code = fromNativeCode(e.getCode());
        String message = e.getMessage() == null ? e.getCode() : e.getMessage();
        if (code == INTERNAL && !"INTERNAL".equals(e.getCode())) {
            message = "[" + e.getCode() + "] " + message;
        }
        return new PrestoException(code, message, e);
    }
}
