// The resources below once sat at the top of the stack, before they were grouped into components:
// an alias to their old parent lets `pulumi up` on an existing stack move them instead of replacing
// them (a replaced kind-cluster Command would delete the cluster).
import * as pulumi from "@pulumi/pulumi";

export const movedFromStackRoot = (): pulumi.Alias[] => [{ parent: pulumi.rootStackResource }];
