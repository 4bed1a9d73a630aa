//! The partner endpoint over mutual TLS, with the example client: a supplier's system with a certificate issued to
//! it gets its claims and acknowledges them; a certificate carrying another supplier's token, an OEM token, or no
//! certificate at all gets nothing. The main listener is unchanged.

use std::path::{Path, PathBuf};
use std::time::Duration;

use aftersales_e2e::Caller;
use aftersales_e2e::fixtures::{new_claim, new_supplier};
use aftersales_e2e::in_process::InProcess;
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use aftersales_supplier_client::{Bearer, Options, TlsFiles, run};
use rcgen::{BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
use tonic::transport::{Certificate, Endpoint};

/// A test CA and what it issued, as PEM files in `dir`.
struct Pki {
    ca: PathBuf,
    dir: PathBuf,
    issuer: Issuer<'static, KeyPair>,
}

impl Pki {
    fn new(dir: &Path) -> Pki {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, cert.pem()).unwrap();
        Pki { ca, dir: dir.to_path_buf(), issuer: Issuer::new(params, key) }
    }

    /// A certificate for `names` used for `usage`; its (certificate, key) files.
    fn issue(&self, file: &str, names: &[&str], usage: ExtendedKeyUsagePurpose) -> (PathBuf, PathBuf) {
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let (cert_file, key_file) = (self.dir.join(format!("{file}.pem")), self.dir.join(format!("{file}.key")));
        std::fs::write(&cert_file, cert.pem()).unwrap();
        std::fs::write(&key_file, key.serialize_pem()).unwrap();
        (cert_file, key_file)
    }

    /// The client files of a certificate issued to `supplier`.
    fn supplier(&self, supplier: &str) -> TlsFiles {
        let name = format!("{supplier}.supplier.aftersales");
        let (cert_file, key_file) = self.issue(supplier, &[&name], ExtendedKeyUsagePurpose::ClientAuth);
        TlsFiles { ca_file: self.ca.clone(), cert_file, key_file }
    }
}

/// A dev token of `role` (of `supplier`, for a supplier) that the in-process service trusts.
fn token(service: &InProcess, role: &str, supplier: Option<&str>) -> String {
    let caller = match supplier {
        Some(id) => Caller::supplier(id),
        None => Caller::role(role),
    };
    caller.token(&service.data_dir)
}

#[tokio::test]
async fn only_a_supplier_with_its_own_certificate_passes_the_partner_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let (server_cert, server_key) =
        pki.issue("server", &["127.0.0.1", "localhost"], ExtendedKeyUsagePurpose::ServerAuth);
    let path = |p: &Path| p.display().to_string();
    let (cert, key, ca) = (path(&server_cert), path(&server_key), path(&pki.ca));
    let env = [
        ("AFTERSALES__PARTNER__ENABLED", "true"),
        ("AFTERSALES__PARTNER__HOST", "127.0.0.1"),
        ("AFTERSALES__PARTNER__PORT", "0"),
        ("AFTERSALES__PARTNER__CERT_FILE", cert.as_str()),
        ("AFTERSALES__PARTNER__KEY_FILE", key.as_str()),
        ("AFTERSALES__PARTNER__CLIENT_CA_FILE", ca.as_str()),
    ];
    let service = InProcess::start("supplier", &env, aftersales_supplier::serve).await;
    let partner = std::fs::read_to_string(Path::new(&service.data_dir).join("run/supplier.partner.addr")).unwrap();
    assert!(partner.starts_with("https://127.0.0.1:"), "{partner}");

    // On the main listener, as always: quality registers two suppliers and sends supplier A a claim.
    let quality = Bearer::new(&token(&service, "quality", None)).unwrap();
    let mut suppliers = SupplierServiceClient::with_interceptor(service.channel.clone(), quality.clone());
    let a = suppliers.create_supplier(new_supplier()).await.unwrap().into_inner().id;
    let b = suppliers.create_supplier(new_supplier()).await.unwrap().into_inner().id;
    let mut claims = ClaimServiceClient::with_interceptor(service.channel.clone(), quality);
    let claim = claims.draft_claim(new_claim(&a)).await.unwrap().into_inner().id;
    let send = pb::SendClaimRequest { request_id: uuid::Uuid::now_v7().to_string(), claim_id: claim.clone() };
    claims.send_claim(send).await.unwrap();

    let options = |token: String, tls| Options {
        endpoint: partner.clone(),
        token,
        cursor_file: dir.path().join(format!("cursor-{}", uuid::Uuid::now_v7())),
        commit_days: 14,
        idle_exit: Some(Duration::from_millis(1500)),
        tls: Some(tls),
    };
    // Supplier A's system with A's certificate and A's token: its claim, acknowledged over mutual TLS.
    let ran = run(&options(token(&service, "supplier", Some(&a)), pki.supplier(&a))).await.unwrap();
    assert_eq!(ran.acknowledged, std::slice::from_ref(&claim));

    // B's token over A's certificate, and an OEM token over A's certificate: refused.
    let stolen = run(&options(token(&service, "supplier", Some(&b)), pki.supplier(&a))).await.unwrap_err();
    assert!(format!("{stolen:#}").contains("not issued to the token's supplier"), "{stolen:#}");
    let oem = run(&options(token(&service, "oem_manager", None), pki.supplier(&a))).await.unwrap_err();
    assert!(format!("{oem:#}").contains("supplier systems only"), "{oem:#}");

    // Without a client certificate the handshake itself fails: no call reaches the service.
    let ca = Certificate::from_pem(std::fs::read(&pki.ca).unwrap());
    let tls = tonic::transport::ClientTlsConfig::new().ca_certificate(ca);
    let anonymous = Endpoint::from_shared(partner.clone()).unwrap().tls_config(tls).unwrap().connect().await;
    let refused = match anonymous {
        Err(error) => format!("{error:?}"),
        Ok(channel) => {
            let bearer = Bearer::new(&token(&service, "supplier", Some(&a))).unwrap();
            let mut client = ClaimServiceClient::with_interceptor(channel, bearer);
            let answer = client.get_claim(pb::GetClaimRequest { id: claim.clone() }).await;
            format!("{:?}", answer.expect_err("a call without a client certificate fails"))
        }
    };
    assert!(!refused.is_empty());
}
