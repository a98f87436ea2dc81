// Where the uaCSTA server's logins live in the secret store (the command line and the console share them).
export const UACSTA_PHONE_PASSWORD_SECRET = 'uacsta/phone-password';
export const UACSTA_CLIENT_USER_SECRET = 'uacsta/client-user';
export const UACSTA_CLIENT_PASSWORD_SECRET = 'uacsta/client-password';
