package io.zkarrow.presto.procedures;

import static io.zkarrow.presto.ZkArrowErrorCode.INVALID_ARGUMENT;

import com.facebook.presto.spi.PrestoException;

import java.util.Locale;

/** Checks of the string arguments of zkarrow's procedures (CALL zkarrow.system....). */
final class ProcedureArguments {
    private ProcedureArguments() {}

    /** A schema or table name: required, then lower-cased as Presto does. */
    static String name(String argument, String value) {
        return required(argument, value).toLowerCase(Locale.ENGLISH);
    }

    /** {@code value} trimmed; INVALID_ARGUMENT if it is null or blank. */
    static String required(String argument, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new PrestoException(
                    INVALID_ARGUMENT, "The argument " + argument + " must not be null or empty");
        }
        return value.trim();
    }
}
