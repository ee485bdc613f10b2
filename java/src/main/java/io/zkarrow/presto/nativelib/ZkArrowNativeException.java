package io.zkarrow.presto.nativelib;

import static java.util.Objects.requireNonNull;

/**
 * An error from the native library (or from loading it). The native side constructs it through JNI
 * with the constructor {@code (String code, String message)}: keep that signature. {@link
 * #getCode()} is one of the names of {@code io.zkarrow.presto.ZkArrowErrorCode}.
 */
public class ZkArrowNativeException extends RuntimeException {
    private final String code;

    public ZkArrowNativeException(String code, String message) {
        super(message);
        this.code = requireNonNull(code, "code is null");
    }

    public ZkArrowNativeException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code is null");
    }

    public String getCode() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": [" + code + "] " + getMessage();
    }
}
