//! Writes the C header of the JNI exports with cbindgen to `<target>/include/zkarrow_jni.h`; the
//! Gradle build compares it with the header javac derives from the Java `native` methods.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| crate_dir.join("../../target"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(target_dir.join("include/zkarrow_jni.h"));
        }
        Err(e) => panic!("cbindgen could not derive the JNI header: {e}"),
    }
}
