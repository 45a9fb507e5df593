//! The `.cfree.abisig` section: the ABI record of every function this object defines.
//!
//! Hot reload calls a replacement body through the entry its predecessor was called through,
//! so the linker must know whether both expect the same calling sequence. It does not read C
//! types; instead each object carries, per defined function, the compact [`CfreeFuncAbiSig`]
//! computed here from the very classification the definition was compiled with.
//!
//! Static functions get records too. The linker ignores records of local symbols when deciding
//! what a reload replaces, but records are keyed by symbol name, so when a replacement object
//! defines the function being reloaded, its record is found by that name whatever its binding.

use crate::abi::CAbi;
use crate::CodegenError;
use cfree_abisig::{CfreeFuncAbiSig, TargetArch, TargetOs, CFREE_ABI_MAX_ARGS, SECTION_NAME};
use cfree_frontend::ir::TranslationUnit;
use cfree_frontend::types::{FuncType, TypeTable};
use cfree_frontend::TargetInfo;
use cranelift_object::ObjectProduct;
use object::write::SectionFlags;
use object::SectionKind;
use target_lexicon::OperatingSystem;

/// The record of a function with type `fty` as defined for `target`, or `None` when it cannot
/// have one: more than [`CFREE_ABI_MAX_ARGS`] parameters, a target without a record encoding,
/// or a value the ABI cannot describe. Such a function is simply not reloadable.
pub fn func_abisig(
    abi: &dyn CAbi,
    target: &TargetInfo,
    t: &TypeTable,
    fty: &FuncType,
) -> Option<CfreeFuncAbiSig> {
    if fty.params.len() > CFREE_ABI_MAX_ARGS {
        return None;
    }
    let target_os = match target.triple.operating_system {
        OperatingSystem::Linux => TargetOs::Linux,
        _ => return None,
    };
    let target_arch = TargetArch::from(target.arch);
    // Exactly the call `func::translate` makes for the definition, so the record describes
    // the code that was generated. A variadic definition's `params` are the named parameters,
    // classified as any caller classifies them.
    let fabi = abi.signature(t, fty, &[], true);
    let ret = abi.abi_slot(t, fty.ret, &fabi.ret, true)?;
    let args = fty
        .params
        .iter()
        .zip(&fabi.params)
        .map(|(&ty, a)| abi.abi_slot(t, ty, a, false))
        .collect::<Option<Vec<_>>>()?;
    Some(CfreeFuncAbiSig {
        target_arch,
        target_os,
        call_conv: abi.call_conv(),
        variadic: fty.variadic,
        ret,
        args,
    })
}

/// Encodes the records of the functions defined in `tu`, or `None` if there are none (an
/// object without functions has nothing to reload).
pub(crate) fn section_bytes(
    tu: &TranslationUnit,
    abi: &dyn CAbi,
    target: &TargetInfo,
) -> Result<Option<Vec<u8>>, CodegenError> {
    let t = &tu.types;
    let records: Vec<(String, CfreeFuncAbiSig)> = tu
        .functions
        .iter()
        .filter_map(|f| {
            let sig = func_abisig(abi, target, t, t.func_type(f.ty)?)?;
            // The object's symbol name, which is what the linker looks records up by.
            Some((tu.symbols[f.sym.0 as usize].name.clone(), sig))
        })
        .collect();
    if records.is_empty() {
        return Ok(None);
    }
    Ok(Some(cfree_abisig::write(&records)?))
}

/// Adds the section to the object. It is not `SHF_ALLOC`: the records are for the linker only
/// and must never occupy memory in the image (or in a system-linked executable).
pub(crate) fn add_section(product: &mut ObjectProduct, bytes: Vec<u8>) {
    let obj = &mut product.object;
    let id = obj.add_section(
        Vec::new(),
        SECTION_NAME.as_bytes().to_vec(),
        SectionKind::Other,
    );
    obj.set_section_data(id, bytes, 1);
    // `Other` already maps to no flags; spelled out because being unloaded is the contract.
    obj.section_mut(id).flags = SectionFlags::Elf { sh_flags: 0 };
}
