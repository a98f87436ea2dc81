// The Panasonic hotel escape as an application sends it: Escape { privateData: KME kmeHotelControl [13] { NULL } }
// (the one alternative the multiplexer recognises as the hotel role; the KME ASN.1 is not public).
export const hotelEscapeApdu = (invokeId: number): Uint8Array => Uint8Array.of(0xa1, 0x0c, 0x02, 0x01, invokeId, 0x02, 0x01, 0x33, 0x30, 0x04, 0xad, 0x02, 0x05, 0x00);
