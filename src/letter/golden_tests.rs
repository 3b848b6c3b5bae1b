//! Golden files: every kind × language × case, byte for byte.
//!
//! `tests/golden/letters/<lang>/<kind>-<case>.txt` holds the body,
//! `tests/golden/letters/<lang>/subjects.txt` every subject line. Cases:
//! `person` (the sender writes for themself: the data subject, or a natural
//! person who is the controller) and `org` (an officer writes for an
//! organisation: as representative of a data subject with a mandate, or as
//! the controller towards its processor). Regenerate with
//! `DSR_BLESS=1 cargo test letter::golden` and read the diff
//! (`tests/support/snapshot.rs`).

use super::*;
use crate::snapshot::assert_golden;
use chrono::NaiveDate;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

pub(crate) fn hash(byte: u8) -> [u8; 32] {
    let mut h = [0u8; 32];
    for (i, b) in h.iter_mut().enumerate() {
        *b = byte.wrapping_mul(31).wrapping_add(i as u8 * 7);
    }
    h
}

fn t(lang: Lang, de: &str, en: &str) -> String {
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
    }
}

fn zendesk() -> Recipient {
    Recipient {
        name: "Zendesk International Ltd.".into(),
        address: vec!["55 Charlemont Place".into(), "Saint Kevin's".into(), "Dublin D02 F985".into(), "Ireland".into()],
        email: Some("euprivacy@zendesk.com".parse().unwrap()),
    }
}

fn dpc() -> Recipient {
    Recipient {
        name: "Data Protection Commission".into(),
        address: vec!["21 Fitzwilliam Square South".into(), "Dublin 2, D02 RD28".into(), "Ireland".into()],
        email: Some("info@dataprotection.ie".parse().unwrap()),
    }
}

fn person(lang: Lang) -> Sender {
    Sender {
        name: "Jana Beispiel".into(),
        organisation: None,
        role: None,
        address: vec!["Musterstraße 12".into(), "10115 Berlin".into(), t(lang, "Deutschland", "Germany")],
        email: "jana.beispiel@example.org".parse().unwrap(),
    }
}

fn officer(lang: Lang) -> Sender {
    Sender {
        name: "Dr. Erika Mustermann".into(),
        organisation: Some("Müller & Söhne GmbH".into()),
        role: Some(t(lang, "Datenschutzbeauftragte", "Data Protection Officer")),
        address: vec!["Hafenweg 3".into(), "20457 Hamburg".into(), t(lang, "Deutschland", "Germany")],
        email: "datenschutz@mueller-soehne.example".parse().unwrap(),
    }
}

fn account_email(lang: Lang, value: &str) -> Identifier {
    Identifier {
        key: "account_email".into(),
        label: t(lang, "E-Mail-Adresse des Kontos", "Account email address"),
        value: value.into(),
    }
}

fn subdomain(lang: Lang, value: &str) -> Identifier {
    Identifier { key: "account_subdomain".into(), label: t(lang, "Subdomain", "Subdomain"), value: value.into() }
}

fn identity_ref() -> IdentityRecordRef {
    IdentityRecordRef {
        txt_name: "identity-verification.txt".into(),
        json_name: "identity-verification.json".into(),
        id_document_included: false,
    }
}

fn mandate(lang: Lang) -> Mandate {
    Mandate {
        dated: d(2026, 11, 20),
        filename: t(lang, "vollmacht-max-beispiel.pdf", "mandate-max-beispiel.pdf"),
        sha256: hash(7),
    }
}

fn max(lang: Lang) -> DataSubject {
    DataSubject {
        name: Some("Max Beispiel".into()),
        email: Some("max.beispiel@mueller-soehne.example".parse().unwrap()),
        mandate: Some(mandate(lang)),
        address: vec!["Lindenallee 5".into(), "20259 Hamburg".into(), t(lang, "Deutschland", "Germany")],
    }
}

fn base(kind: LetterKind, lang: Lang, case: &str) -> LetterContext {
    let org = case == "org";
    let mut attachments = Vec::new();
    if kind != LetterKind::Complaint {
        attachments.push("identity-verification.txt".to_string());
        attachments.push("identity-verification.json".to_string());
    }
    let representative = org && kind != LetterKind::ProcessorDeletion;
    if representative {
        attachments.insert(0, mandate(lang).filename);
    }
    LetterContext {
        kind,
        lang,
        date: d(2026, 11, 30),
        sender: if org { officer(lang) } else { person(lang) },
        recipient: zendesk(),
        capacity: if representative { Capacity::Representative } else { Capacity::DataSubject },
        data_subject: if representative { Some(max(lang)) } else { None },
        identifiers: if representative {
            vec![
                account_email(lang, "max.beispiel@mueller-soehne.example"),
                subdomain(lang, "muellersoehne.zendesk.com"),
            ]
        } else {
            vec![account_email(lang, "jana.beispiel@example.org")]
        },
        erasure: None,
        access: None,
        processor_deletion: None,
        rectification: None,
        objection: None,
        restriction: None,
        portability: None,
        reminder: None,
        complaint: None,
        identity_record: if kind == LetterKind::Complaint { None } else { Some(identity_ref()) },
        confirmed_preconditions: vec![],
        policy_notes: vec![],
        attachments,
        gender: if org { None } else { Some(crate::lang::Gender::Female) },
        services: if kind.is_initial() { vec!["Zendesk Support".into(), "Zendesk Chat".into()] } else { vec![] },
        id_documents: vec![],
        period: None,
    }
}

/// The test letter for one kind × language × case.
pub(crate) fn fixture(kind: LetterKind, lang: Lang, case: &str) -> LetterContext {
    let org = case == "org";
    let mut c = base(kind, lang, case);
    match kind {
        LetterKind::Erasure => {
            c.erasure = Some(Erasure {
                grounds: if org { vec![ErasureGround::A, ErasureGround::C] } else { vec![] },
                deadline: d(2026, 12, 30),
                ask_recipients: true,
                made_public: org,
                situation: org.then(|| {
                    t(
                        lang,
                        "Die betroffene Person hat das Unternehmen verlassen; ihr Profil wird weiter als Ansprechpartner angezeigt und zieht unerwünschte Anfragen an ihre private Adresse nach sich.",
                        "The data subject has left the company; their profile is still shown as a contact and draws unwanted enquiries to their private address.",
                    )
                }),
                direct_marketing: false,
                only: vec![],
            });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::Rectification => {
            c.rectification = Some(Rectification {
                corrections: if org {
                    vec![]
                } else {
                    vec![t(
                        lang,
                        "Postanschrift: Gespeichert ist „Musterstr. 21, 10115 Berlin“; richtig ist „Musterstraße 12, 10115 Berlin“.",
                        "Postal address: you hold “Musterstr. 21, 10115 Berlin”; correct is “Musterstraße 12, 10115 Berlin”.",
                    )]
                },
                completions: if org {
                    vec![t(
                        lang,
                        "Zum Vermerk „Kunde hat Rechnung nicht bezahlt“: Die Rechnung vom 3. Oktober 2026 wurde am 5. Oktober 2026 bezahlt.",
                        "To the note “customer did not pay the invoice”: the invoice of 3 October 2026 was paid on 5 October 2026.",
                    )]
                } else {
                    vec![]
                },
            });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::Objection => {
            c.objection = Some(Objection {
                situation: org.then(|| {
                    t(
                        lang,
                        "Die betroffene Person ist nicht mehr für den Kunden tätig und wird weiter als Ansprechpartnerin geführt.",
                        "The data subject no longer works for the customer and is still listed as its contact.",
                    )
                }),
                direct_marketing: !org,
                only: if org { vec![t(lang, "Auswertung der Nutzung zu Werbezwecken", "analysis of use for advertising")] } else { vec![] },
            });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::Restriction => {
            c.restriction = Some(Restriction {
                grounds: if org { vec![ErasureGround::C, ErasureGround::D] } else { vec![ErasureGround::A] },
                contested: if org {
                    vec![]
                } else {
                    vec![t(
                        lang,
                        "die gespeicherte Postanschrift „Musterstr. 21“",
                        "the stored postal address “Musterstr. 21”",
                    )]
                },
                situation: org.then(|| {
                    t(
                        lang,
                        "Die betroffene Person ist nicht mehr für den Kunden tätig.",
                        "The data subject no longer works for the customer.",
                    )
                }),
                only: vec![],
            });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::Portability => {
            c.portability = Some(Portability {
                transmit_to: org
                    .then(|| "Beispiel Helpdesk GmbH, Hafenweg 5, 20457 Hamburg, import@helpdesk.example".into()),
                only: vec![],
            });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::Access => {
            c.access = Some(Access { deadline: d(2026, 12, 30) });
            c.period = Some(Period { received: d(2026, 11, 30), deadline: d(2026, 12, 30) });
        }
        LetterKind::ProcessorDeletion => {
            c.capacity = Capacity::ControllerToProcessor;
            c.data_subject = None;
            c.processor_deletion = Some(if org {
                ProcessorDeletion {
                    contract: Some("Main Services Agreement / Data Processing Agreement".into()),
                    account: Some("4711-0815".into()),
                    subdomain: Some("muellersoehne.zendesk.com".into()),
                    cancellation_date: Some(d(2026, 11, 30)),
                    connected_apps: vec!["Slack".into(), "Jira Cloud".into()],
                    confirm_by: d(2027, 3, 30),
                    deletion_starts: Some(d(2027, 2, 28)),
                    schedule_by: Some(d(2026, 12, 30)),
                    agreement: Some(t(
                        lang,
                        "das Data Processing Agreement von Zendesk",
                        "the Zendesk Data Processing Agreement",
                    )),
                }
            } else {
                ProcessorDeletion {
                    contract: None,
                    account: None,
                    subdomain: Some("janabeispiel.zendesk.com".into()),
                    cancellation_date: None,
                    connected_apps: vec![],
                    confirm_by: d(2026, 12, 30),
                    deletion_starts: None,
                    schedule_by: None,
                    agreement: None,
                }
            });
            c.identifiers = vec![account_email(
                lang,
                if org { "datenschutz@mueller-soehne.example" } else { "jana.beispiel@example.org" },
            )];
            c.confirmed_preconditions = vec![
                t(
                    lang,
                    "Alle kostenpflichtigen Abonnements sind gekündigt.",
                    "All paid subscriptions have been cancelled.",
                ),
                t(
                    lang,
                    "Tickets, Berichte und Nutzerdaten wurden vorab exportiert.",
                    "Tickets, reports and user data have been exported beforehand.",
                ),
            ];
            if org {
                c.policy_notes = vec![t(
                    lang,
                    "Nach Ihrer Richtlinie zur Löschung von Servicedaten beginnt die automatische Löschung 90 Tage nach der Kündigung und erfasst verbundene Anwendungen Dritter nicht.",
                    "Under your Service Data Deletion Policy, automated deletion starts 90 days after cancellation and does not cover connected third-party apps.",
                )];
            }
        }
        LetterKind::Reminder => {
            c.date = d(2026, 12, 31);
            if org {
                c.capacity = Capacity::ControllerToProcessor;
                c.data_subject = None;
                c.identifiers = vec![subdomain(lang, "muellersoehne.zendesk.com")];
            }
            c.identity_record = None;
            c.attachments = vec![];
            c.reminder = Some(Reminder {
                original_kind: if org { LetterKind::ProcessorDeletion } else { LetterKind::Erasure },
                original_date: d(2026, 11, 30),
                original_message_id: "<20261130101500.4f2a9c@dsr.example.org>".into(),
                original_subject: if org {
                    t(
                        lang,
                        "Weisung zur Löschung nach Art. 28 Abs. 3 lit. g DSGVO – Müller & Söhne GmbH (muellersoehne.zendesk.com)",
                        "Instruction to delete under Article 28(3)(g) GDPR – Müller & Söhne GmbH (muellersoehne.zendesk.com)",
                    )
                } else {
                    t(
                        lang,
                        "Antrag auf Löschung personenbezogener Daten nach Art. 17 DSGVO – Jana Beispiel",
                        "Request for erasure of personal data under Article 17 GDPR – Jana Beispiel",
                    )
                },
                original_deadline: d(2026, 12, 30),
                new_deadline: d(2027, 1, 14),
                period_running: false,
                conduct: Conduct::default(),
            });
        }
        LetterKind::Complaint => {
            c.date = d(2027, 1, 20);
            c.recipient = dpc();
            c.attachments = vec![
                "request-2026-11-30.eml".into(),
                "reminder-2026-12-31.eml".into(),
                "evidence-log-excerpt.jsonl".into(),
            ];
            if org {
                c.attachments.insert(0, mandate(lang).filename);
                c.attachments.insert(2, "reply-2026-12-10.eml".into());
            }
            let mut evidence = vec![EvidenceItem {
                filename: "request-2026-11-30.eml".into(),
                description: t(lang, "der Antrag, wie gesendet", "the request as sent"),
                sha256: hash(1),
            }];
            if org {
                evidence.push(EvidenceItem {
                    filename: "reply-2026-12-10.eml".into(),
                    description: t(lang, "die Antwort des Verantwortlichen", "the controller's reply"),
                    sha256: hash(2),
                });
            }
            evidence.push(EvidenceItem {
                filename: "reminder-2026-12-31.eml".into(),
                description: t(lang, "die Erinnerung, wie gesendet", "the reminder as sent"),
                sha256: hash(3),
            });
            evidence.push(EvidenceItem {
                filename: "evidence-log-excerpt.jsonl".into(),
                description: t(
                    lang,
                    "Auszug aus dem Nachweisprotokoll (Versand, Annahme durch den Mailserver des Empfängers)",
                    "excerpt of the evidence log (sending, acceptance by the recipient's mail server)",
                ),
                sha256: hash(4),
            });
            c.complaint = Some(Complaint {
                controller: Party {
                    name: "Zendesk International Ltd.".into(),
                    address: zendesk().address,
                    email: Some("euprivacy@zendesk.com".parse().unwrap()),
                },
                request_kind: LetterKind::Erasure,
                request: SentMessage {
                    date: d(2026, 11, 30),
                    message_id: "<20261130101500.4f2a9c@dsr.example.org>".into(),
                },
                deadline: d(2026, 12, 30),
                reminder: Some(SentMessage {
                    date: d(2026, 12, 31),
                    message_id: "<20261231090000.7b1e22@dsr.example.org>".into(),
                }),
                what_went_wrong: if org { Failure::ExcessiveIdentification } else { Failure::NoReply },
                details: if org {
                    Some(t(
                        lang,
                        "Der Verantwortliche verlangt eine Kopie des Personalausweises der betroffenen Person, obwohl der Antrag von der E-Mail-Adresse des Kontos aus bestätigt werden kann.",
                        "The controller demands a copy of the data subject's identity card, although the request can be confirmed from the account's email address.",
                    ))
                } else {
                    None
                },
                replies: if org {
                    vec![ReplySummary {
                        date: d(2026, 12, 10),
                        summary: t(
                            lang,
                            "Bearbeitung erst nach Vorlage einer Ausweiskopie",
                            "will act only after receiving a copy of an identity document",
                        ),
                    }]
                } else {
                    vec![]
                },
                evidence,
                conduct: if org {
                    Conduct { identity_demand: Some(d(2026, 12, 10)), any: true, ..Conduct::default() }
                } else {
                    Conduct::default()
                },
                period_running: false,
                complainant_address: if org { max(lang).address } else { person(lang).address },
                residence: None,
                delivery: vec![
                    DeliveryRecord {
                        reminder: false,
                        at: "2026-11-30 10:15:00".into(),
                        reply: "250 2.0.0 Ok: queued as 4F2A9C".into(),
                        delivered: Some("2026-11-30 10:15:04".into()),
                    },
                    DeliveryRecord {
                        reminder: true,
                        at: "2026-12-31 09:00:00".into(),
                        reply: "250 2.0.0 Ok: queued as 7B1E22".into(),
                        delivered: None,
                    },
                ],
            });
        }
    }
    c
}

pub(crate) const CASES: [&str; 2] = ["person", "org"];

#[test]
fn golden_letters() {
    let r = Renderer::new(None).unwrap();
    for lang in Lang::ALL {
        let mut subjects = String::new();
        for kind in LetterKind::ALL {
            for case in CASES {
                let ctx = fixture(kind, lang, case);
                let letter = r.render(&ctx).unwrap_or_else(|e| panic!("{lang}/{kind}-{case}: {e}"));
                assert_golden(&format!("letters/{lang}/{kind}-{case}.txt"), &letter.body);
                subjects.push_str(&format!("{kind}-{case}: {}\n", letter.subject));
            }
        }
        assert_golden(&format!("letters/{lang}/subjects.txt"), &subjects);
    }
}
