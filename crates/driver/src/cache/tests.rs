use super::*;

fn sample() -> Compiled {
    Compiled {
        object: (0..=255u8).collect(),
        warnings: "t.c:1:2: warning: x\n".into(),
        prototypes: vec![Prototype {
            name: "f".into(),
            ret: "int".into(),
            params: vec!["char *".into(), "double".into()],
            variadic: true,
            defined: false,
        }],
        interface: Interface {
            records: vec![RecordInfo {
                spelling: "struct p".into(),
                is_union: false,
                size: 8,
                align: 4,
                fields: vec![FieldInfo {
                    name: "x".into(),
                    ty: "int".into(),
                    offset: 4,
                    bit: Some((1, 3, 4)),
                }],
            }],
            enums: vec![EnumInfo {
                spelling: "enum c".into(),
                base: "unsigned int".into(),
            }],
            typedefs: vec![("p_t".into(), "struct p".into())],
            globals: vec![GlobalInfo {
                name: "g".into(),
                ty: "int [3]".into(),
                defined: true,
                readonly: false,
            }],
            constants: vec![ConstantInfo {
                name: "RED".into(),
                value: -7,
                ty: "enum c".into(),
                kind: ConstantKind::Macro,
            }],
            params: vec![("f".into(), vec!["a".into(), "".into()])],
        },
        function_hashes: vec![("f".into(), 0x1234_5678_9abc_def0)],
        times: PhaseTimes::default(),
    }
}

#[test]
fn object_payloads_round_trip_and_reject_every_truncation() {
    let bytes = encode_object(&sample());
    let back = decode_object(&bytes).expect("decodes");
    assert_eq!(back.object, sample().object);
    assert_eq!(back.warnings, sample().warnings);
    assert_eq!(back.prototypes, sample().prototypes);
    assert_eq!(back.function_hashes, sample().function_hashes);
    assert_eq!(back.interface, sample().interface);
    for n in 0..bytes.len() {
        assert!(
            decode_object(&bytes[..n]).is_none(),
            "prefix of {n} bytes accepted"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(decode_object(&longer).is_none());
}

#[test]
fn entries_with_any_changed_byte_are_rejected() {
    let payload = encode_object(&sample());
    let mut entry = entry_header(Kind::Object, &payload);
    entry.extend_from_slice(&payload);
    assert!(unwrap_entry(&entry, Kind::Object).is_some());
    assert!(
        unwrap_entry(&entry, Kind::Manifest).is_none(),
        "kind is checked"
    );
    for i in 0..entry.len() {
        let mut bad = entry.clone();
        bad[i] ^= 1;
        assert!(
            unwrap_entry(&bad, Kind::Object).is_none(),
            "flip at {i} accepted"
        );
    }
}

#[test]
fn manifests_round_trip_and_lengths_beyond_the_input_are_rejected() {
    let m = Manifest {
        files: vec![(PathBuf::from("/usr/include/stdio.h"), [7; 32])],
        missing: vec![PathBuf::from("/nonexistent/cfree/x.h")],
        object: [9; 32],
    };
    let bytes = m.encode();
    let back = Manifest::decode(&bytes).expect("decodes");
    assert_eq!(back.files, m.files);
    assert_eq!(back.missing, m.missing);
    assert_eq!(back.object, m.object);
    // A huge count or length must fail to decode, not allocate or panic.
    let mut bad = bytes.clone();
    bad[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(Manifest::decode(&bad).is_none());
    let mut bad = bytes;
    bad[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(Manifest::decode(&bad).is_none());
}

#[test]
fn trimming_removes_the_least_recently_used_entries_first() {
    let dir = std::env::temp_dir().join(format!("cfree-cache-trim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cache = Cache::at(&dir, 3000);
    let old = SystemTime::now() - Duration::from_secs(100);
    for i in 0..4u8 {
        cache.write(&[i; 32], Kind::Object, &[i; 1000]);
        let f = std::fs::File::open(cache.path(&[i; 32], Kind::Object)).unwrap();
        f.set_modified(old + Duration::from_secs(i as u64)).unwrap();
    }
    // Reading entry 0 makes it the most recently used.
    assert!(cache.read(&[0; 32], Kind::Object).is_some());
    cache.trim();
    let left: Vec<bool> = (0..4u8)
        .map(|i| cache.path(&[i; 32], Kind::Object).exists())
        .collect();
    assert_eq!(left, [true, false, false, true]);
    let _ = std::fs::remove_dir_all(&dir);
}
