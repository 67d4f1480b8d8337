use super::*;
use crate::core::manifest::ManifestCard;
use CardSource::{Copy, Existing};

fn manifest(selectors: &[&str]) -> Manifest {
    Manifest {
        cards: selectors
            .iter()
            .map(|s| ManifestCard {
                selector: (*s).into(),
                name: "Card".into(),
                label: Vec::new(),
            })
            .collect(),
        ..Manifest::default()
    }
}

fn three() -> CardStructure {
    CardStructure::new(&manifest(&[".card"]), &[3])
}

fn order(s: &CardStructure) -> Vec<CardSource> {
    s.lists[0].cards.clone()
}

fn e(old_index: usize) -> CardSource {
    Existing { old_index }
}

#[test]
fn starts_unchanged_from_the_counts() {
    let s = CardStructure::new(&manifest(&[".a", ".b"]), &[2]);
    assert_eq!(s.lists[0].cards, [e(0), e(1)]);
    assert_eq!(s.lists[1].loaded, 0, "a missing count is 0");
    assert!(s.lists[1].cards.is_empty());
    assert!(!s.is_changed());
    assert_eq!(s.counts(), [2, 0]);
    assert_eq!(s.loaded_counts(), [2, 0]);
}

#[test]
fn add_copies_the_first_card_emptied_at_the_end() {
    let mut s = three();
    s.move_to(0, 2, 0).unwrap();
    assert_eq!(s.add(0, 3), Ok(3));
    assert_eq!(order(&s), [e(2), e(0), e(1), Copy { of: 2, ordinal: 3 }]);
    assert!(s.is_changed());
    assert_eq!(s.change_count(), 2, "one new card, one reorder");
    let mut none = CardStructure::new(&manifest(&[".a"]), &[0]);
    assert_eq!(none.add(0, 0), Err(CardError::NothingToCopy));
    assert_eq!(none.add(1, 0), Err(CardError::NoSuchList));
}

#[test]
fn duplicate_inserts_after_and_a_copy_of_a_copy_is_the_same_copy() {
    let mut s = three();
    assert_eq!(s.duplicate(0, 1, 3), Ok(2));
    assert_eq!(order(&s), [e(0), e(1), Copy { of: 1, ordinal: 3 }, e(2)]);
    assert_eq!(s.duplicate(0, 2, 4), Ok(3));
    assert_eq!(order(&s)[3], Copy { of: 1, ordinal: 4 });
    s.add(0, 5).unwrap();
    s.duplicate(0, 5, 6).unwrap();
    assert_eq!(order(&s)[6], Copy { of: 0, ordinal: 6 });
    assert_eq!(s.duplicate(0, 9, 7), Err(CardError::NoSuchCard));
    assert_eq!(s.change_count(), 4);
}

#[test]
fn remove_refuses_the_last_card() {
    let mut s = three();
    assert_eq!(s.remove(0, 3), Err(CardError::NoSuchCard));
    s.remove(0, 0).unwrap();
    s.remove(0, 1).unwrap();
    assert_eq!(order(&s), [e(1)]);
    assert_eq!(s.change_count(), 2, "two removed, no reorder");
    assert_eq!(s.can_remove(0, 0), Err(CardError::LastCard));
    assert_eq!(s.remove(0, 0), Err(CardError::LastCard));
    assert_eq!(s.remove(1, 0), Err(CardError::NoSuchList));
    // A copy makes the last original removable.
    s.duplicate(0, 0, 3).unwrap();
    assert_eq!(s.remove(0, 0), Ok(()));
    assert_eq!(order(&s), [Copy { of: 1, ordinal: 3 }]);
}

#[test]
fn moves() {
    let mut s = three();
    assert_eq!(s.move_up(0, 0), Err(CardError::AtEdge));
    assert_eq!(s.move_down(0, 2), Err(CardError::AtEdge));
    assert_eq!(s.move_down(0, 0), Ok(1));
    assert_eq!(order(&s), [e(1), e(0), e(2)]);
    assert_eq!(s.move_up(0, 2), Ok(1));
    assert_eq!(order(&s), [e(1), e(2), e(0)]);
    s.move_to(0, 0, 2).unwrap();
    assert_eq!(order(&s), [e(2), e(0), e(1)]);
    assert_eq!(s.change_count(), 1);
    assert_eq!(s.move_to(0, 0, 3), Err(CardError::NoSuchCard));
    assert_eq!(s.move_to(0, 5, 0), Err(CardError::NoSuchCard));
    assert_eq!(s.move_up(0, 7), Err(CardError::NoSuchCard));
    // Back to the start is unchanged again.
    s.move_to(0, 0, 2).unwrap();
    assert_eq!(order(&s), [e(0), e(1), e(2)]);
    assert!(!s.is_changed());
}

#[test]
fn draft_round_trip_and_fit() {
    let mut s = three();
    s.duplicate(0, 0, 3).unwrap();
    s.add(0, 4).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let back: CardStructure = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let m = manifest(&[".card"]);
    assert!(back.fits_loaded(&CardStructure::new(&m, &[3])));
    assert!(
        !back.fits_loaded(&CardStructure::new(&m, &[4])),
        "the block changed since the draft"
    );
    assert!(!back.fits_loaded(&CardStructure::new(&manifest(&[".other"]), &[3])));
    assert!(back.fits_loaded(&three()));
    let mut bad = back.clone();
    bad.lists[0].cards.push(e(7));
    assert!(!bad.fits_loaded(&CardStructure::new(&m, &[3])));
    bad.lists[0].cards.clear();
    assert!(!bad.fits_loaded(&CardStructure::new(&m, &[3])));
}

#[test]
fn count_check() {
    assert_eq!(check_counts(&[3, 2], &[3, 2]), Ok(()));
    assert_eq!(check_counts(&[], &[]), Ok(()));
    assert_eq!(
        check_counts(&[3, 0], &[3]),
        Ok(()),
        "a missing count reads as 0"
    );
    assert_eq!(
        check_counts(&[3, 2], &[3, 3]),
        Err(CountsChanged {
            list: 1,
            loaded: 2,
            now: 3
        })
    );
    assert_eq!(
        check_counts(&[3], &[3, 1]),
        Err(CountsChanged {
            list: 1,
            loaded: 0,
            now: 1
        })
    );
}
