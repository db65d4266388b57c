package arena.gateway.kubernetes;

/**
 * The API server answered, but not with success. Server errors, 408, 409 (a concurrent update) and
 * 429 (API priority and fairness) pass; any other 4xx is a configuration problem (RBAC, a wrong
 * namespace or pod name) that retrying cannot fix.
 */
public final class KubernetesApiException extends RuntimeException {

  private final int status;

  KubernetesApiException(String method, String path, int status, String detail) {
    super(method + " " + path + " answered " + status + (detail.isEmpty() ? "" : ": " + detail)
        + (status == 401 || status == 403
            ? " (the pod's service account needs RBAC: get, patch on pods; get on replicasets in group apps)"
            : ""));
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return status >= 500 || status == 408 || status == 409 || status == 429;
  }
}
