/// Who a test connects as.
public enum TestRole: String, Sendable, CaseIterable {
    /// The cluster's superuser (the test harness's administrator).
    case admin
    /// A login member of `ondo_app`.
    case app
    /// A login member of `ondo_shop`.
    case shop
    /// A login member of `ondo_report`.
    case report

    /// The login user name (`test_shop`, …), with the per-run suffix used on a shared external server.
    func userName(suffix: String) -> String? {
        self == .admin ? nil : "test_\(rawValue)\(suffix)"
    }
}
